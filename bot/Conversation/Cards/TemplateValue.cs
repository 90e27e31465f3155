using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace EmpowerBot.Conversation.Cards;

/// <summary>
/// The values an expression works with, and the JavaScript rules the official
/// adaptivecards-templating engine applies to them (it runs on adaptive-expressions in JS).
/// A value is one of: <c>null</c>, <see cref="Undefined"/>, <see cref="string"/>,
/// <see cref="double"/>, <see cref="bool"/>, or a <see cref="JsonElement"/> object or array.
/// </summary>
internal static class TemplateValue
{
    /// <summary>JavaScript's <c>undefined</c>: a missing field, as opposed to a JSON <c>null</c>.</summary>
    public static readonly object Undefined = new UndefinedValue();

    public static bool IsNullish(object? value) => value is null || ReferenceEquals(value, Undefined);

    public static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        JsonValueKind.Undefined => Undefined,
        _ => element,
    };

    /// <summary>adaptive-expressions' isLogicTrue: booleans are themselves, null and undefined are false, all else is true.</summary>
    public static bool IsLogicTrue(object? value) => value is bool b ? b : !IsNullish(value);

    /// <summary>Property lookup as adaptive-expressions does it: case-insensitive, first matching key wins, falsy scopes yield undefined.</summary>
    public static object? AccessProperty(object? scope, string property)
    {
        switch (scope)
        {
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                var plain = Ascii.IsValid(property);
                foreach (var candidate in obj.EnumerateObject())
                {
                    if (SameIgnoringCase(candidate, property, plain))
                    {
                        return FromElement(candidate.Value);
                    }
                }
                return Undefined;
            // Object.keys of a string or an array lists its indexes.
            case string text when IsIndexKey(property, text.Length, out var i):
                return text[i].ToString();
            case JsonElement { ValueKind: JsonValueKind.Array } array when IsIndexKey(property, array.GetArrayLength(), out var i):
                return FromElement(array[i]);
            default:
                return Undefined;
        }
    }

    // Bytes of a raw property name that JavaScript's toLowerCase would not treat as plain ASCII: escapes and non-ASCII.
    private static readonly SearchValues<byte> NotPlain = SearchValues.Create([(byte)'\\', .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    /// <summary>JavaScript's toLowerCase on both names, compared; plain ASCII names (all of ours) straight from the UTF-8.</summary>
    private static bool SameIgnoringCase(JsonProperty candidate, string property, bool plainProperty)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(candidate);
        if (plainProperty && raw.IndexOfAny(NotPlain) < 0)
        {
            return raw.Length == property.Length && Ascii.EqualsIgnoreCase(raw, property);
        }
        return string.Equals(candidate.Name.ToLowerInvariant(), property.ToLowerInvariant(), StringComparison.Ordinal);
    }

    private static bool IsIndexKey(string property, int length, out int index) =>
        int.TryParse(property, NumberStyles.None, CultureInfo.InvariantCulture, out index)
        && index < length
        && index.ToString(CultureInfo.InvariantCulture) == property;

    /// <summary>Index lookup; <paramref name="error"/> is set where adaptive-expressions reports one.</summary>
    public static object? AccessIndex(object? scope, int index, out string? error)
    {
        error = null;
        if (IsNullish(scope))
        {
            return Undefined;
        }
        if (scope is JsonElement { ValueKind: JsonValueKind.Array } array)
        {
            if (index >= 0 && index < array.GetArrayLength())
            {
                return FromElement(array[index]);
            }
            error = $"{index} is out of range for {ToText(scope)}";
            return Undefined;
        }
        error = $"{ToText(scope)} is not a collection.";
        return Undefined;
    }

    /// <summary>adaptive-expressions' commonEquals: null equals undefined, arrays item by item, objects deeply, numbers within epsilon.</summary>
    public static bool LooseEquals(object? left, object? right)
    {
        if (IsNullish(left) || IsNullish(right))
        {
            return IsNullish(left) && IsNullish(right);
        }
        if (left is JsonElement { ValueKind: JsonValueKind.Array } la && right is JsonElement { ValueKind: JsonValueKind.Array } ra)
        {
            return la.GetArrayLength() == ra.GetArrayLength()
                && la.EnumerateArray().Zip(ra.EnumerateArray()).All(p => LooseEquals(FromElement(p.First), FromElement(p.Second)));
        }
        if (left is JsonElement { ValueKind: JsonValueKind.Object } lo && right is JsonElement { ValueKind: JsonValueKind.Object } ro)
        {
            return JsonElement.DeepEquals(lo, ro);
        }
        if (left is double ld && right is double rd && Math.Abs(ld - rd) < 2.220446049250313e-16)
        {
            return true;
        }
        return left switch
        {
            string ls => right is string rs && string.Equals(ls, rs, StringComparison.Ordinal),
            double ln => right is double rn && ln == rn,
            bool lb => right is bool rb && lb == rb,
            _ => false,
        };
    }

    /// <summary>JavaScript's <c>value.toString()</c>, which the engine uses to splice a value into a longer string.</summary>
    public static string ToText(object? value) => value switch
    {
        string s => s,
        double d => FormatNumber(d),
        bool b => b ? "true" : "false",
        JsonElement { ValueKind: JsonValueKind.Array } array =>
            string.Join(",", array.EnumerateArray().Select(e => FromElement(e) is var item && IsNullish(item) ? "" : ToText(item))),
        JsonElement => "[object Object]",
        null => "null",
        _ => "undefined",
    };

    /// <summary>JavaScript's Number.prototype.toString (ECMA-262 Number::toString), from .NET's shortest round-trip digits.</summary>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0) return "0";

        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leadingZeros;
        var k = digits.Length;

        var text = new StringBuilder(value < 0 ? "-" : "");
        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            text.Append(digits[0]);
            if (k > 1) text.Append('.').Append(digits, 1, k - 1);
            text.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>Values a bound card holds as null: null, undefined, and numbers JSON.stringify cannot write.</summary>
    public static bool IsNullResult(object? value) => value switch
    {
        string or bool or JsonElement => false,
        double d => !double.IsFinite(d),
        _ => true,
    };

    /// <summary>A value as a bound card holds it, written as JSON.stringify writes it (numbers included).</summary>
    public static void WriteBound(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringValue(s);
                break;
            case double d when double.IsFinite(d):
                // Whole numbers of up to 15 digits read the same in both; anything else goes through Number::toString.
                if (d == Math.Floor(d) && Math.Abs(d) < 1e15) writer.WriteNumberValue((long)d);
                else writer.WriteRawValue(FormatNumber(d), skipInputValidation: true);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case JsonElement element:
                WriteElement(writer, element);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Data copied into a card: the same structure, with its numbers written as JSON.stringify writes them.</summary>
    public static void WriteElement(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    WriteElement(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteElement(writer, item);
                writer.WriteEndArray();
                break;
            default:
                WriteBound(writer, FromElement(element));
                break;
        }
    }

    private sealed class UndefinedValue
    {
        public override string ToString() => "undefined";
    }
}
