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
        return Expand(_root, TemplateScope.For(FromElement(data))) as JsonNode;
    }

    /// <inheritdoc cref="Bind(JsonElement)"/>
    public JsonNode? Bind(JsonNode? data) => Bind(JsonSerializer.SerializeToElement(data));

    private abstract record Node;

    private sealed record LiteralNode(JsonElement Value) : Node
    {
        // Read once: a literal's .NET value (a string, number, bool or null) is the same in every card bound.
        public object? Scalar { get; } = Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? null : FromElement(Value);
    }

    private sealed record TextNode(TemplateString Text, string Location) : Node;

    private sealed record ArrayNode(IReadOnlyList<Node> Items) : Node;

    private sealed record ObjectNode(
        IReadOnlyList<KeyValuePair<string, Node>> Properties, Node? Data, TemplateExpression? When, string Location) : Node;

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
                    .Select(p => KeyValuePair.Create(p.Name, Prepare(p.Value, $"{location}.{p.Name}")))
                    .ToArray();
                var data = element.TryGetProperty("$data", out var dataElement) ? PrepareData(dataElement, $"{location}.$data") : null;
                var when = element.TryGetProperty("$when", out var whenElement) ? PrepareWhen(whenElement, $"{location}.$when") : null;
                return new ObjectNode(properties, data, when, location);
            default:
                return new LiteralNode(element.Clone());
        }
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

    /// <summary>
    /// Mirrors the engine's internalExpand. The result is a <see cref="JsonNode"/>, <c>null</c> (JSON null),
    /// <see cref="TemplateValue.Undefined"/> (the key is left out), or for an object bound to a list, a
    /// <see cref="JsonArray"/> of copies that a parent array splices in.
    /// </summary>
    private static object? Expand(Node node, in TemplateScope scope)
    {
        switch (node)
        {
            case LiteralNode { Value.ValueKind: not (JsonValueKind.Object or JsonValueKind.Array) } literal:
                return ToNode(literal.Scalar);
            case LiteralNode literal:
                return ElementToNode(literal.Value);
            case TextNode text:
                var value = text.Text.Evaluate(scope, text.Location);
                return ReferenceEquals(value, Undefined) ? Undefined : ToNode(value);
            case ArrayNode array:
                var items = new JsonArray();
                foreach (var item in array.Items)
                {
                    switch (Expand(item, scope))
                    {
                        case null:
                            break; // dropped: a $when that failed, a $data over an empty list, a literal null
                        case JsonArray spliced:
                            var children = spliced.ToArray();
                            spliced.Clear();
                            foreach (var child in children) items.Add(child);
                            break;
                        case JsonNode expanded:
                            items.Add(expanded);
                            break;
                        default:
                            items.Add(null); // undefined, which JSON.stringify writes as null inside an array
                            break;
                    }
                }
                return items;
            case ObjectNode obj:
                return ExpandObject(obj, scope);
            default:
                throw new InvalidOperationException($"Unknown template node {node.GetType().Name}.");
        }
    }

    private static object? ExpandObject(ObjectNode node, in TemplateScope scope)
    {
        var data = node.Data switch
        {
            null => Undefined,
            TextNode text => text.Text.Evaluate(scope, text.Location),
            LiteralNode literal => FromElement(literal.Value),
            _ => throw new InvalidOperationException("$data is a string or literal data."),
        };
        if (data is not JsonElement { ValueKind: JsonValueKind.Array } list)
        {
            // The usual object: one copy, in the same scope (or rebound to its $data).
            return ExpandOne(node, ReferenceEquals(data, Undefined) ? scope : scope with { Data = data });
        }

        var results = new List<JsonNode>(list.GetArrayLength());
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemScope = scope with { Index = (double)i++ };
            var context = FromElement(item);
            if (!ReferenceEquals(context, Undefined))
            {
                itemScope = itemScope with { Data = context };
            }
            if (ExpandOne(node, itemScope) is { } result)
            {
                results.Add(result);
            }
        }

        return results.Count switch
        {
            0 => null,
            1 => results[0],
            _ => new JsonArray([.. results]),
        };
    }

    /// <summary>One copy of the object in <paramref name="scope"/>, or null when its <c>$when</c> drops it.</summary>
    private static JsonObject? ExpandOne(ObjectNode node, in TemplateScope scope)
    {
        if (node.When is not null && !IsTrue(node.When, scope))
        {
            return null;
        }
        var result = new JsonObject();
        foreach (var (key, value) in node.Properties)
        {
            var expanded = Expand(value, scope);
            if (!ReferenceEquals(expanded, Undefined))
            {
                result[key] = (JsonNode?)expanded;
            }
        }
        return result;
    }

    private static bool IsTrue(TemplateExpression when, in TemplateScope scope)
    {
        try
        {
            // $when is evaluated without substituting missing fields, and only the boolean true keeps the element.
            return when.Evaluate(scope, substitute: false) is true;
        }
        catch (TemplateEvaluationException)
        {
            return false;
        }
    }
}
