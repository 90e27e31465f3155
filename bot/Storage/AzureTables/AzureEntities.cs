using AzureEntity = Azure.Data.Tables.TableEntity;

namespace EmpowerBot.Storage.AzureTables;

/// <summary>
/// The store's <see cref="TableEntity"/> to and from the SDK's dictionary entity, mapped by hand: no reflection,
/// and exactly the types both backends keep. The SDK annotates a long as Edm.Int64 and reads it back as a long; an
/// int goes as Edm.Int32 and comes back as an int, which the store reads as a long (as SQLite does).
/// </summary>
internal static class AzureEntities
{
    /// <summary>
    /// The SDK's entity for a write. Nulls are left out (the service stores none), times go as UTC, and a value
    /// outside the <see cref="TableEntity"/> contract is an <see cref="ArgumentException"/> before anything is sent.
    /// </summary>
    public static AzureEntity ToAzure(TableEntity entity)
    {
        var azure = new AzureEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            switch (value)
            {
                case null:
                    continue;
                case string s when TableRules.IsValidText(s):
                    azure[name] = s;
                    break;
                case double d when !double.IsFinite(d):
                    // The SDK writes a double as a JSON number, which cannot spell NaN or the infinities; the
                    // service's own spelling is a string annotated as Edm.Double, which the SDK reads back as a double.
                    azure[name + "@odata.type"] = "Edm.Double";
                    azure[name] = double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
                    break;
                case long or int or bool or double:
                    azure[name] = value;
                    break;
                case DateTimeOffset t:
                    azure[name] = t.ToUniversalTime();
                    break;
                default:
                    throw TableRules.UnsupportedValue(name, value);
            }
        }
        return azure;
    }

    /// <summary>
    /// The store's entity from one the service returned; its system properties (Timestamp, odata.*) are dropped.
    /// A type the bot never writes (Guid, binary) means the row is not the bot's: <see cref="InvalidDataException"/>.
    /// </summary>
    public static TableEntity FromAzure(AzureEntity azure)
    {
        var properties = new Dictionary<string, object?>(azure.Count, StringComparer.Ordinal);
        foreach (var (name, value) in azure)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal) || value is null)
            {
                continue;
            }
            properties[name] = value switch
            {
                string or long or bool or double or DateTimeOffset => value,
                int i => (long)i,
                _ => throw new InvalidDataException($"Property '{name}' has type {value.GetType().Name}, which EmpowerBot never stores."),
            };
        }
        return new TableEntity(azure.PartitionKey, azure.RowKey, properties, azure.ETag.ToString());
    }

    /// <summary>
    /// An upper bound of the JSON the SDK sends for the entity, so a batch over the service's 4 MiB payload limit is
    /// refused before it is sent. The SDK's JSON writer escapes every non-ASCII character as \uXXXX, so text counts
    /// six bytes a character unless it is a plain letter, digit or space.
    /// </summary>
    public static long PayloadBytes(TableEntity entity)
    {
        // Per operation: the changeset part's headers and address; per property: name, annotation and punctuation.
        long size = 512 + JsonBytes(entity.PartitionKey) * 2 + JsonBytes(entity.RowKey) * 2;
        foreach (var (name, value) in entity.Properties)
        {
            size += value switch
            {
                null => 0,
                string s => 48 + JsonBytes(name) * 2 + JsonBytes(s),
                _ => 96 + JsonBytes(name) * 2,
            };
        }
        return size;
    }

    // Six bytes for anything but letters, digits and spaces: the writer's default encoder also spells quotes,
    // '+', '&', '<', '>' and the apostrophe as \uXXXX.
    private static long JsonBytes(string text)
    {
        long bytes = 0;
        foreach (var c in text)
        {
            bytes += char.IsAsciiLetterOrDigit(c) || c == ' ' ? 1 : 6;
        }
        return bytes;
    }
}
