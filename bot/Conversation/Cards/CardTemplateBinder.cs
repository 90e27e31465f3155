using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using static EmpowerBot.Conversation.Cards.TemplateValue;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// Binds an Adaptive Card template to data following the Adaptive Cards Templating language, producing
/// what the official <c>adaptivecards-templating</c> engine produces for the features our cards use:
/// <c>${…}</c> bindings, <c>$data</c> (repeat over a list, or rebind the scope), <c>$when</c>, <c>$root</c>,
/// <c>$index</c>. It plays the part of <c>AdaptiveCardTemplate</c> from the AdaptiveCards.Templating package,
/// which is not available to us: <c>new AdaptiveCardTemplate(json).Expand(data)</c> becomes
/// <c>CardTemplateBinder.Parse(json).Bind(data)</c>.
/// The template is parsed once, in the constructor; <see cref="Bind(JsonElement)"/> keeps no state, so one
/// binder may serve any number of threads.
/// </summary>
public sealed class CardTemplateBinder
{
    // The engine drops these keys from every object it writes.
    private static readonly HashSet<string> ReservedKeys = ["$data", "$when", "$root", "$index", "$host", "$_acTemplateVersion"];

    private readonly Node _root;

    public CardTemplateBinder(JsonElement template)
    {
        _root = Prepare(template, "$");
    }

    public CardTemplateBinder(JsonNode template)
        : this(JsonSerializer.SerializeToElement(template))
    {
    }

    public static CardTemplateBinder Parse(string templateJson)
    {
        using var document = JsonDocument.Parse(templateJson);
        return new CardTemplateBinder(document.RootElement);
    }

    /// <summary>Binds <paramref name="data"/> as <c>$root</c>. Null when the whole template is dropped by its own <c>$when</c>.</summary>
    public JsonNode? Bind(JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (!WriteTo(writer, data)) return null;
        }
        return JsonNode.Parse(buffer.WrittenSpan);
    }

    /// <inheritdoc cref="Bind(JsonElement)"/>
    public JsonNode? Bind(JsonNode? data) => Bind(JsonSerializer.SerializeToElement(data));

    /// <summary>
    /// Binds <paramref name="data"/> as <c>$root</c> straight into <paramref name="writer"/>, as one JSON value; false
    /// (and nothing written) when the whole template is dropped by its own <c>$when</c> or binds to null. The writer
    /// should escape text as <see cref="WriterOptions"/> does, which is how the parts of the template that hold no
    /// binding were written once, at parse time.
    /// </summary>
    public bool WriteTo(Utf8JsonWriter writer, JsonElement data)
    {
        var scope = TemplateScope.For(FromElement(data));
        switch (_root)
        {
            case TextNode text:
                var value = text.Text.Evaluate(scope, text.Location);
                if (IsNullResult(value)) return false;
                WriteBound(writer, value);
                return true;
            case ObjectNode obj:
                return WriteObjectValue(writer, obj, scope, nullWhenDropped: false);
            case LiteralNode { IsNull: true }:
                return false;
            default:
                WriteValue(writer, _root, scope);
                return true;
        }
    }

    /// <summary>How bound cards are written: JSON.stringify leaves non-ASCII text, quotes and apostrophes as they are.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private abstract record Node;

    /// <summary>A string without bindings, a number, a boolean or null: its JSON is written once, here.</summary>
    private sealed record LiteralNode : Node
    {
        public LiteralNode(JsonElement value)
        {
            Value = value;
            IsStructured = value.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
            var scalar = IsStructured ? null : FromElement(value);
            IsNull = !IsStructured && IsNullResult(scalar);
            Json = IsStructured ? [] : Render(w => WriteBound(w, scalar));
        }

        public JsonElement Value { get; }
        public bool IsStructured { get; }
        public bool IsNull { get; }
        public byte[] Json { get; }
    }

    /// <summary>An object with no binding anywhere inside: the same in every card, so written once when the template is read.</summary>
    private sealed record RawNode(byte[] Json) : Node;

    private sealed record TextNode(TemplateString Text, string Location) : Node;

    private sealed record ArrayNode(IReadOnlyList<Node> Items) : Node;

    private sealed record ObjectNode(
        IReadOnlyList<KeyValuePair<JsonEncodedText, Node>> Properties, Node? Data, TemplateExpression? When, string Location) : Node;

    private static Node Prepare(JsonElement element, string location)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when TemplateString.TryParse(element.GetString()!) is { } text:
                return new TextNode(text, location);
            case JsonValueKind.Array:
                return new ArrayNode(element.EnumerateArray().Select((item, i) => Prepare(item, $"{location}[{i}]")).ToArray());
            case JsonValueKind.Object:
                var properties = element.EnumerateObject()
                    .Where(p => !ReservedKeys.Contains(p.Name))
                    .Select(p => KeyValuePair.Create(JsonEncodedText.Encode(p.Name, WriterOptions.Encoder), Prepare(p.Value, $"{location}.{p.Name}")))
                    .ToArray();
                var data = element.TryGetProperty("$data", out var dataElement) ? PrepareData(dataElement, $"{location}.$data") : null;
                var when = element.TryGetProperty("$when", out var whenElement) ? PrepareWhen(whenElement, $"{location}.$when") : null;
                var node = new ObjectNode(properties, data, when, location);
                return IsStatic(node) ? new RawNode(Render(w => WriteValue(w, node, TemplateScope.For(Undefined)))) : node;
            default:
                return new LiteralNode(element.Clone());
        }
    }

    private static bool IsStatic(Node node) => node switch
    {
        LiteralNode or RawNode => true,
        ArrayNode array => array.Items.All(IsStatic),
        ObjectNode obj => obj.Data is null && obj.When is null && obj.Properties.All(p => IsStatic(p.Value)),
        _ => false,
    };

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static Node PrepareData(JsonElement data, string location)
    {
        // A literal list or object is used as data exactly as written; expressions inside it would not be evaluated.
        if (data.ValueKind is JsonValueKind.Array or JsonValueKind.Object && data.GetRawText().Contains("${", StringComparison.Ordinal))
        {
            throw new CardTemplateException($"$data at {location} mixes literal data with ${{…}}; bind a single ${{path}} instead.");
        }
        return data.ValueKind == JsonValueKind.String ? Prepare(data, location) : new LiteralNode(data.Clone());
    }

    private static TemplateExpression PrepareWhen(JsonElement when, string location)
    {
        // The official engine keeps an element only when $when evaluates to the boolean true, and handles
        // anything but a single expression in odd ways (a literal true drops the element); refuse those.
        if (when.ValueKind == JsonValueKind.String && TemplateString.TryParse(when.GetString()!)?.SingleExpression is { } expression)
        {
            return expression;
        }
        throw new CardTemplateException($"$when at {location} must be a single expression such as \"${{isManager}}\", not {when.GetRawText()}.");
    }

    // Writing mirrors the engine's internalExpand, which builds the card and then JSON.stringify writes it: a key whose
    // value is undefined is left out, an object whose $when fails is null (or left out of a list), an object bound to
    // a list becomes one copy per item (spliced into a list, or as a value: null, the one copy, or a list of copies),
    // and a list inside a list is spliced into it.

    /// <summary>One property of an object being written; left out when its binding is undefined.</summary>
    private static void WriteProperty(Utf8JsonWriter writer, JsonEncodedText name, Node node, in TemplateScope scope)
    {
        if (node is TextNode text)
        {
            var value = text.Text.Evaluate(scope, text.Location);
            if (ReferenceEquals(value, Undefined)) return;
            writer.WritePropertyName(name);
            WriteBound(writer, value);
            return;
        }
        writer.WritePropertyName(name);
        WriteValue(writer, node, scope);
    }

    /// <summary>A node as the value of a property (or as the whole card).</summary>
    private static void WriteValue(Utf8JsonWriter writer, Node node, in TemplateScope scope)
    {
        switch (node)
        {
            case LiteralNode { IsStructured: false } literal:
                writer.WriteRawValue(literal.Json, skipInputValidation: true);
                break;
            case LiteralNode literal:
                WriteElement(writer, literal.Value);
                break;
            case RawNode raw:
                writer.WriteRawValue(raw.Json, skipInputValidation: true);
                break;
            case TextNode text:
                WriteBound(writer, text.Text.Evaluate(scope, text.Location));
                break;
            case ArrayNode array:
                writer.WriteStartArray();
                WriteItems(writer, array, scope);
                writer.WriteEndArray();
                break;
            case ObjectNode obj:
                WriteObjectValue(writer, obj, scope, nullWhenDropped: true);
                break;
            default:
                throw new InvalidOperationException($"Unknown template node {node.GetType().Name}.");
        }
    }

    /// <summary>The items of a list, each written by the rules for list items.</summary>
    private static void WriteItems(Utf8JsonWriter writer, ArrayNode array, in TemplateScope scope)
    {
        foreach (var item in array.Items)
        {
            WriteItem(writer, item, scope);
        }
    }

    /// <summary>A node inside a list: null is left out, undefined is written as null, a list is spliced in.</summary>
    private static void WriteItem(Utf8JsonWriter writer, Node node, in TemplateScope scope)
    {
        switch (node)
        {
            case LiteralNode { IsNull: true }:
                break;
            case LiteralNode { IsStructured: true } literal when literal.Value.ValueKind == JsonValueKind.Array:
                foreach (var child in literal.Value.EnumerateArray()) WriteElement(writer, child);
                break;
            case TextNode text:
                var value = text.Text.Evaluate(scope, text.Location);
                if (ReferenceEquals(value, Undefined))
                {
                    writer.WriteNullValue();
                }
                else if (value is JsonElement { ValueKind: JsonValueKind.Array } list)
                {
                    foreach (var child in list.EnumerateArray()) WriteElement(writer, child);
                }
                else if (!IsNullResult(value))
                {
                    WriteBound(writer, value);
                }
                break;
            case ArrayNode inner:
                WriteItems(writer, inner, scope);
                break;
            case ObjectNode obj:
                var data = DataOf(obj, scope);
                if (data is not JsonElement { ValueKind: JsonValueKind.Array } items)
                {
                    var one = Rebind(scope, data);
                    if (Passes(obj, one)) WriteObject(writer, obj, one);
                    break;
                }
                var i = 0;
                foreach (var item in items.EnumerateArray())
                {
                    var each = ItemScope(scope, i++, item);
                    if (Passes(obj, each)) WriteObject(writer, obj, each);
                }
                break;
            default:
                WriteValue(writer, node, scope);
                break;
        }
    }

    /// <summary>
    /// An object as a value: written once in its scope (null when its $when fails), or, bound to a list, as null, the
    /// one copy, or a list of copies. With <paramref name="nullWhenDropped"/> false nothing is written for null.
    /// </summary>
    private static bool WriteObjectValue(Utf8JsonWriter writer, ObjectNode node, in TemplateScope scope, bool nullWhenDropped)
    {
        var data = DataOf(node, scope);
        if (data is not JsonElement { ValueKind: JsonValueKind.Array } items)
        {
            var one = Rebind(scope, data);
            if (Passes(node, one))
            {
                WriteObject(writer, node, one);
                return true;
            }
            if (nullWhenDropped) writer.WriteNullValue();
            return nullWhenDropped;
        }

        // How many copies decides the shape, so $when is tried on every item first (it has no side effects).
        var kept = 0;
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            if (Passes(node, ItemScope(scope, i++, item))) kept++;
        }
        if (kept == 0)
        {
            if (nullWhenDropped) writer.WriteNullValue();
            return nullWhenDropped;
        }
        if (kept > 1) writer.WriteStartArray();
        i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var each = ItemScope(scope, i++, item);
            if (Passes(node, each)) WriteObject(writer, node, each);
        }
        if (kept > 1) writer.WriteEndArray();
        return true;
    }

    private static void WriteObject(Utf8JsonWriter writer, ObjectNode node, in TemplateScope scope)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in node.Properties)
        {
            WriteProperty(writer, name, value, scope);
        }
        writer.WriteEndObject();
    }

    private static object? DataOf(ObjectNode node, in TemplateScope scope) => node.Data switch
    {
        null => Undefined,
        TextNode text => text.Text.Evaluate(scope, text.Location),
        LiteralNode literal => FromElement(literal.Value),
        _ => throw new InvalidOperationException("$data is a string or literal data."),
    };

    /// <summary>The usual object: one copy, in the same scope, or rebound to its $data.</summary>
    private static TemplateScope Rebind(in TemplateScope scope, object? data) =>
        ReferenceEquals(data, Undefined) ? scope : scope with { Data = data };

    private static TemplateScope ItemScope(in TemplateScope scope, int index, JsonElement item)
    {
        var itemScope = scope with { Index = (double)index };
        var context = FromElement(item);
        return ReferenceEquals(context, Undefined) ? itemScope : itemScope with { Data = context };
    }

    /// <summary>Is the object kept? Only when it has no <c>$when</c> or its <c>$when</c> is the boolean true.</summary>
    private static bool Passes(ObjectNode node, in TemplateScope scope)
    {
        if (node.When is null) return true;
        try
        {
            // $when is evaluated without substituting missing fields, and only the boolean true keeps the element.
            return node.When.Evaluate(scope, substitute: false) is true;
        }
        catch (TemplateEvaluationException)
        {
            return false;
        }
    }
}
