using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// Entities in the Table service's JSON (OData v3, minimal metadata). JSON alone cannot tell 3L from 3.0 or a time
/// from a string, so values carry <c>Name@odata.type</c> annotations where the service would otherwise guess:
/// Edm.Int64 is sent as a string, Edm.Double always annotated (NaN and the infinities as the strings "NaN",
/// "Infinity", "-Infinity"), Edm.DateTime as UTC with seven fractional digits. Strings, bools and ints need none.
/// Reading applies the same rules, and an unannotated number is a double exactly when it has a '.' or an exponent
/// (the service writes 2.0, never 2, for a double).
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    // The JSON goes only to the table service: text stays UTF-8 instead of six-byte \uXXXX escapes, which would
    // let a batch of entities within the service's 1 MiB limit overrun its 4 MiB payload limit. Line separators
    // are still escaped, so every body stays on one line.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The entity with its keys, for Insert, Update and Insert Or Replace. Null values are left out: the service
    /// stores no nulls. Throws <see cref="ArgumentException"/> for a value type outside the <see cref="TableEntity"/> contract.
    /// </summary>
    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + 48 * entity.Properties.Count);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("PartitionKey", entity.PartitionKey);
            json.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                if (value is not null)
                {
                    WriteProperty(json, name, value);
                }
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// An entity from a response: system properties (Timestamp, odata.*) are dropped; the ETag is
    /// <paramref name="etag"/> when given (the ETag header of a point read), else the body's odata.etag.
    /// </summary>
    public static TableEntity Read(JsonElement entity, string? etag = null)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        string? partitionKey = null, rowKey = null, bodyETag = null;
        foreach (var property in entity.EnumerateObject())
        {
            var name = property.Name;
            switch (name)
            {
                case "PartitionKey":
                    partitionKey = property.Value.GetString();
                    continue;
                case "RowKey":
                    rowKey = property.Value.GetString();
                    continue;
                case "odata.etag":
                    bodyETag = property.Value.GetString();
                    continue;
                case "Timestamp":
                    continue;
            }
            if (name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@') || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            var type = entity.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
            properties[name] = ReadValue(name, type, property.Value);
        }
        if (partitionKey is null || rowKey is null)
        {
            throw new InvalidDataException("The table service returned an entity without PartitionKey or RowKey.");
        }
        return new TableEntity(partitionKey, rowKey, properties, etag ?? bodyETag);
    }

    private static void WriteProperty(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case string s when TableRules.IsValidText(s):
                json.WriteString(name, s);
                break;
            case long l:
                json.WriteString(name + TypeSuffix, "Edm.Int64");
                json.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                break;
            case int i:
                json.WriteNumber(name, i);
                break;
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case double d:
                json.WriteString(name + TypeSuffix, "Edm.Double");
                if (double.IsFinite(d))
                {
                    json.WriteNumber(name, d);
                }
                else
                {
                    json.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                break;
            case DateTimeOffset t:
                json.WriteString(name + TypeSuffix, "Edm.DateTime");
                json.WriteString(name, t.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
                break;
            case string:
                throw new ArgumentException($"Property '{name}' holds text that is not valid UTF-16 (a lone surrogate).");
            default:
                throw new ArgumentException(
                    $"Property '{name}' has type {value.GetType().Name}; a table entity stores only string, long, int, double, bool and DateTimeOffset.");
        }
    }

    private static object ReadValue(string name, string? type, JsonElement value)
    {
        try
        {
            return type switch
            {
                null => Untyped(value),
                "Edm.String" => value.GetString()!,
                "Edm.Int64" => value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64(),
                "Edm.Int32" => (long)value.GetInt32(),
                "Edm.Double" => value.ValueKind == JsonValueKind.String ? ParseDouble(value.GetString()!) : value.GetDouble(),
                "Edm.Boolean" => value.GetBoolean(),
                "Edm.DateTime" => ParseTime(value.GetString()!),
                _ => throw new InvalidDataException($"Property '{name}' has type {type}, which EmpowerBot never stores."),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException)
        {
            throw new InvalidDataException($"Property '{name}' is not a valid {type ?? "JSON value"}.", e);
        }
    }

    private static object Untyped(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.GetRawText().AsSpan().IndexOfAny(".eE") >= 0 => value.GetDouble(),
        JsonValueKind.Number => value.GetInt64(),
        _ => throw new InvalidDataException($"Unexpected JSON {value.ValueKind} for a property."),
    };

    private static double ParseDouble(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" or "INF" => double.PositiveInfinity,
        "-Infinity" or "-INF" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    // The service answers UTC with or without the 'Z' and with up to seven fractional digits.
    private static DateTimeOffset ParseTime(string text) => new(
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).Ticks, TimeSpan.Zero);
}
