using System.Text.Json;
using static EmpowerBot.Conversation.Cards.TemplateValue;

namespace EmpowerBot.Conversation.Cards;

/// <summary>Writing a bound card: the prepared template walked once, straight into a <see cref="Utf8JsonWriter"/>.</summary>
public sealed partial class CardTemplateBinder
{
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
