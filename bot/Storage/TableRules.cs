using System.Buffers;
using System.Text;

namespace EmpowerBot.Storage;

/// <summary>
/// The argument rules of Azure Table Storage, checked up front by every backend so that code which works on
/// the embedded SQLite store also works in production. A violation is an <see cref="ArgumentException"/>
/// and nothing is written.
/// </summary>
internal static class TableRules
{
    /// <summary>Azure's entity group transaction limit.</summary>
    public const int MaxBatchSize = 100;

    /// <summary>A partition or row key holds at most 1 KiB, i.e. 512 UTF-16 characters.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>255 properties per entity, three of which (PartitionKey, RowKey, Timestamp) the service owns.</summary>
    public const int MaxProperties = 252;

    public const int MaxPropertyNameLength = 255;

    /// <summary>A string property holds at most 64 KiB, i.e. 32 Ki UTF-16 characters.</summary>
    public const int MaxStringLength = 32 * 1024;

    /// <summary>An entity is at most 1 MiB, counted as the service counts it (<see cref="EntitySize"/>).</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>Edm.DateTime starts at 1601-01-01 UTC (the Windows file time epoch); earlier instants are refused.</summary>
    public static readonly DateTimeOffset MinTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // '/', '\\', '#', '?' and the control characters U+0000–U+001F and U+007F–U+009F.
    private static readonly SearchValues<char> ForbiddenKeyCharacters = SearchValues.Create(
        "/\\#?" + string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)));

    /// <summary>3–63 characters, a lowercase letter then lowercase letters or digits (Azure's rule, lowercase only).</summary>
    public static void ValidateTableName(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var valid = table.Length is >= 3 and <= 63 && char.IsAsciiLetterLower(table[0]);
        for (var i = 1; valid && i < table.Length; i++)
        {
            valid = char.IsAsciiLetterLower(table[i]) || char.IsAsciiDigit(table[i]);
        }
        if (!valid)
        {
            throw new ArgumentException(
                $"Table name '{table}' is invalid: use 3–63 lowercase letters or digits, starting with a letter.", nameof(table));
        }
    }

    /// <summary>
    /// Checks the shape of a batch: 1–100 operations, one partition, no row twice, an ETag on every
    /// Replace and Delete, keys free of the characters Azure refuses, and entities within the service's limits.
    /// </summary>
    public static void ValidateBatch(IReadOnlyList<TableOperation> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count is 0 or > MaxBatchSize)
        {
            throw new ArgumentException($"A batch holds 1 to {MaxBatchSize} operations; this one has {batch.Count}.", nameof(batch));
        }

        var partitionKey = batch[0]?.Entity?.PartitionKey;
        for (var i = 0; i < batch.Count; i++)
        {
            var op = batch[i] ?? throw new ArgumentException($"Operation {i} is null.", nameof(batch));
            var entity = op.Entity ?? throw new ArgumentException($"Operation {i} has no entity.", nameof(batch));
            ValidateKey(entity.PartitionKey, i, "partition");
            ValidateKey(entity.RowKey, i, "row");
            if (!string.Equals(entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Operation {i} addresses another partition; a batch stays within one partition.", nameof(batch));
            }
            if (op.Kind is TableOperationKind.Replace or TableOperationKind.Delete && string.IsNullOrEmpty(op.IfMatch))
            {
                throw new ArgumentException($"Operation {i} ({op.Kind}) needs an ETag to match, or \"*\".", nameof(batch));
            }
            if (op.Kind != TableOperationKind.Delete)
            {
                ValidateProperties(entity, i);
            }
            // Quadratic, but at most 100 operations and no allocation on the hot path.
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(batch[j].Entity.RowKey, entity.RowKey, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Operations {j} and {i} both address row '{entity.RowKey}'; a batch touches a row once.", nameof(batch));
                }
            }
        }
    }

    /// <summary>
    /// False for text with a lone surrogate: it cannot become UTF-8, so a backend would silently replace it
    /// (changing a key) or store a value that no longer reads back.
    /// </summary>
    public static bool IsValidText(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return true;
        }
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The refusal of a property value outside the <see cref="TableEntity"/> contract, worded alike by every backend.</summary>
    public static ArgumentException UnsupportedValue(string name, object value) => value is string
        ? new ArgumentException($"Property '{name}' holds text that is not valid UTF-16 (a lone surrogate).")
        : new ArgumentException($"Property '{name}' has type {value.GetType().Name}; a table entity stores only string, long, int, double, bool and DateTimeOffset.");

    /// <summary>True when the service could store a row under this key; a read of any other key finds nothing.</summary>
    public static bool IsValidKey(string? key) =>
        key is not null && key.Length <= MaxKeyLength && IsValidText(key) && !key.AsSpan().ContainsAny(ForbiddenKeyCharacters);

    /// <summary>
    /// The entity's size as the service counts it against <see cref="MaxEntityBytes"/>: 4 bytes, the keys in UTF-16,
    /// and per property 8 bytes, its name in UTF-16 and its value (text in UTF-16 plus 4 bytes, numbers and times 8
    /// bytes, an int 4, a bool 1). Null values are not stored and do not count.
    /// </summary>
    public static long EntitySize(TableEntity entity)
    {
        long size = 4 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach (var (name, value) in entity.Properties)
        {
            if (value is null)
            {
                continue;
            }
            size += 8 + 2L * name.Length + value switch
            {
                string s => 4 + 2L * s.Length,
                int => 4,
                bool => 1,
                _ => 8,
            };
        }
        return size;
    }

    private static void ValidateKey(string? key, int index, string which)
    {
        if (key is null || !IsValidText(key))
        {
            throw new ArgumentException($"Operation {index} has no {which} key, or one that is not valid UTF-16.", "batch");
        }
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Operation {index}: a {which} key holds at most {MaxKeyLength} characters; this one has {key.Length}.", "batch");
        }
        if (key.AsSpan().ContainsAny(ForbiddenKeyCharacters))
        {
            throw new ArgumentException(
                $"Operation {index}: a {which} key may not contain '/', '\\', '#', '?' or control characters.", "batch");
        }
    }

    /// <summary>
    /// Names shaped like C# identifiers (the service's rule; anything else breaks its OData payloads), at most
    /// <see cref="MaxProperties"/> of them, strings up to <see cref="MaxStringLength"/>, times from <see cref="MinTime"/>,
    /// and the whole entity within <see cref="MaxEntityBytes"/>. Value types are the codecs' business.
    /// </summary>
    private static void ValidateProperties(TableEntity entity, int index)
    {
        var count = 0;
        foreach (var (name, value) in entity.Properties)
        {
            if (value is null)
            {
                continue;
            }
            if (++count > MaxProperties)
            {
                throw new ArgumentException($"Operation {index}: an entity holds at most {MaxProperties} properties.", "batch");
            }
            if (!IsPropertyName(name))
            {
                throw new ArgumentException(
                    $"Operation {index}: '{name}' cannot be a property name: use up to {MaxPropertyNameLength} letters, digits or '_', " +
                    "starting with a letter or '_', and not PartitionKey, RowKey or Timestamp.", "batch");
            }
            if (value is string s && s.Length > MaxStringLength)
            {
                throw new ArgumentException($"Operation {index}: property '{name}' holds {s.Length} characters; the limit is {MaxStringLength}.", "batch");
            }
            if (value is DateTimeOffset t && t < MinTime)
            {
                throw new ArgumentException($"Operation {index}: property '{name}' is before {MinTime:yyyy-MM-dd}, the earliest time the service stores.", "batch");
            }
        }
        if (EntitySize(entity) > MaxEntityBytes)
        {
            throw new ArgumentException($"Operation {index}: the entity is larger than the service's limit of 1 MiB.", "batch");
        }
    }

    private static bool IsPropertyName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxPropertyNameLength || name is "PartitionKey" or "RowKey" or "Timestamp")
        {
            return false;
        }
        if (!(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
