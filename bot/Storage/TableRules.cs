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

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
    /// Replace and Delete, and keys free of the characters Azure refuses.
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

    private static void ValidateKey(string? key, int index, string which)
    {
        if (key is null || !IsValidText(key))
        {
            throw new ArgumentException($"Operation {index} has no {which} key, or one that is not valid UTF-16.", "batch");
        }
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    $"Operation {index}: a {which} key may not contain '/', '\\', '#', '?' or control characters.", "batch");
            }
        }
    }
}
