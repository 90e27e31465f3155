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
public sealed partial class CardTemplateBinder
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
}
