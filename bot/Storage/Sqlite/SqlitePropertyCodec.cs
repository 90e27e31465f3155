using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmpowerBot.Storage.Sqlite;

/// <summary>
/// Entity properties as JSON with a one-letter type tag per value, so every supported type reads back as itself
/// (plain JSON would turn 3L and 3.0 into the same number and a DateTimeOffset into a string):
/// <c>{"Name":{"s":"Ann"},"Count":{"l":3},"Ratio":{"d":0.5},"Ok":{"b":true},"At":{"t":"2025-01-01T08:00:00.1234567+00:00"}}</c>.
/// </summary>
internal static class SqlitePropertyCodec
{
    // The JSON never reaches a browser; relaxed escaping keeps non-ASCII text readable in the database file.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Azure Table Storage owns these names; refusing them here keeps the two backends equal.
    private static readonly string[] ReservedNames = ["PartitionKey", "RowKey", "Timestamp"];

    /// <summary>
    /// Encodes the properties; null values are skipped, as Azure Table Storage does not store them.
    /// Throws <see cref="ArgumentException"/> for a type outside the contract of <see cref="TableEntity"/>.
    /// </summary>
    public static string Encode(IReadOnlyDictionary<string, object?> properties)
    {
        if (properties.Count == 0)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>(64 + 32 * properties.Count);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                if (value is null)
                {
                    continue;
                }
                ValidateName(name);
                json.WriteStartObject(name);
                WriteTagged(json, name, value);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Dictionary<string, object?> Decode(ReadOnlySpan<byte> utf8Json)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(utf8Json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            Expect(ref reader, JsonTokenType.StartObject);
            Expect(ref reader, JsonTokenType.PropertyName);
            var tag = reader.ValueSpan.Length == 1 ? (char)reader.ValueSpan[0] : '?';
            reader.Read();
            properties[name] = tag switch
            {
                's' => reader.GetString(),
                'l' => reader.GetInt64(),
                'd' => ReadDouble(ref reader),
                'b' => reader.GetBoolean(),
                't' => reader.GetDateTimeOffset(),
                _ => throw new InvalidDataException($"Stored property '{name}' has an unknown type tag."),
            };
            Expect(ref reader, JsonTokenType.EndObject);
        }
        return properties;
    }

    private static void WriteTagged(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case string s when TableRules.IsValidText(s):
                json.WriteString("s", s);
                break;
            case long l:
                json.WriteNumber("l", l);
                break;
            case int i:
                json.WriteNumber("l", i);
                break;
            case bool b:
                json.WriteBoolean("b", b);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber("d", d);
                break;
            case double d:
                // JSON has no NaN or infinities; Azure spells them the same way in Edm.Double.
                json.WriteString("d", d.ToString(CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                // The UTC instant at full tick precision; the original offset is not kept (Azure keeps none either).
                json.WriteString("t", t.ToUniversalTime());
                break;
            default:
                throw TableRules.UnsupportedValue(name, value);
        }
    }

    private static double ReadDouble(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String
            ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture)
            : reader.GetDouble();

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || Array.IndexOf(ReservedNames, name) >= 0 || !TableRules.IsValidText(name))
        {
            throw new ArgumentException($"'{name}' cannot be a property name: it is empty, reserved by the table service, or not valid UTF-16.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new InvalidDataException($"Stored properties are not in the expected shape (wanted {token}).");
        }
    }
}
