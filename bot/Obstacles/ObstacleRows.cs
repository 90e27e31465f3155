using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

/// <summary>
/// Key layout of the obstacles table (docs/ARCHITECTURE.md, "Tables"): one partition per tenant holding the obstacles (row key: the id,
/// "12"), their votes (<c>vote|{id}|{person}</c>), customers' ratings counted as evidence (<c>evidence|{id}|{rating}</c>), the id counter (<c>counter</c>) and idempotency marks
/// (<c>idem|{hash}</c>) and the change log (<c>chg|{version}</c>: which obstacle each change touched). One partition, so
/// logging and voting are each one atomic batch. Every change of an obstacle row moves the counter's <c>version</c> on
/// and writes its change row in the same batch (<see cref="Changed"/>), which is how every instance's
/// <see cref="ObstacleCorpus"/> learns what changed without reading the board again.
/// </summary>
public static class ObstacleRows
{
    public const string CounterRow = "counter";
    public const string VotePrefix = "vote|";
    public const string IdempotencyPrefix = "idem|";

    // Obstacle rows are the row keys made of digits: they sort before "counter", "idem|…" and "vote|…".
    public const string FirstObstacleRow = "0";
    public const string AfterLastObstacleRow = ":";

    private static readonly JsonSerializerOptions HistoryJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Partition(string tenantId) => tenantId;

    public static string Row(int id) => id.ToString(CultureInfo.InvariantCulture);

    public static string VotesOf(int id) => $"{VotePrefix}{Row(id)}|";

    public static string VoteRow(int id, string personKey) => VotesOf(id) + personKey;

    public const string EvidencePrefix = "evidence|";

    /// <summary>One customer's low rating counted as evidence for the obstacle: written once per rating.</summary>
    public static string EvidenceRow(int id, string ratingId) => $"{EvidencePrefix}{Row(id)}|{ratingId}";

    /// <summary>Idempotency keys may hold anything a channel sends; a hash keeps the row key safe and short.</summary>
    public static string IdempotencyRow(string key) =>
        IdempotencyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];

    public static long ReadCounter(TableEntity? row) => row?.GetInt64("last") ?? 0;

    /// <summary>How many changes the tenant's obstacles have had (0 for a tenant stored before the change log).</summary>
    public static long ReadVersion(TableEntity? row) => row?.GetInt64("version") ?? 0;

    public const string ChangePrefix = "chg|";

    /// <summary>Change rows kept: an instance that fell further behind than this reads the board again.</summary>
    public const long ChangesKept = 4096;

    public static string ChangeRow(long version) => ChangePrefix + version.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>
    /// What goes in the batch of any change to obstacle <paramref name="id"/>: the counter under the ETag it was read at
    /// (<paramref name="last"/> the new highest id, or the one it had), one version on, and the change row. Two changes
    /// racing conflict on the counter, so versions are gapless. (The change row is upserted: a counter an earlier
    /// version of the bot rewrote starts counting again from zero, over old change rows.)
    /// </summary>
    public static IEnumerable<TableOperation> Changed(string partition, TableEntity? counter, int id, long? last = null)
    {
        var version = ReadVersion(counter) + 1;
        var row = new TableEntity(partition, CounterRow, new Dictionary<string, object?> { ["last"] = last ?? ReadCounter(counter), ["version"] = version });
        yield return counter?.ETag is { } etag ? TableOperation.Replace(row, etag) : TableOperation.Insert(row);
        yield return TableOperation.Upsert(new TableEntity(partition, ChangeRow(version), new Dictionary<string, object?> { ["obstacle"] = (long)id }));
    }

    public static TableEntity WriteIdempotency(string partition, string key, int id) =>
        new(partition, IdempotencyRow(key), new Dictionary<string, object?> { ["obstacle"] = (long)id });

    public static TableEntity WriteVote(string partition, int id, string personKey, DateTimeOffset at) =>
        new(partition, VoteRow(id, personKey), new Dictionary<string, object?> { ["at"] = at });

    public static Obstacle Read(TableEntity row) => new(
        int.Parse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture),
        Enum.TryParse<ObstacleKind>(row.GetString("kind"), out var kind) ? kind : ObstacleKind.Obstacle,
        row.GetString("text") ?? "",
        Enum.TryParse<ObstacleCategory>(row.GetString("category"), out var category) ? category : ObstacleCategory.Other,
        row.GetString("team"),
        row.GetTime("createdAt") ?? DateTimeOffset.MinValue,
        Enum.TryParse<ObstacleStatus>(row.GetString("status"), out var status) ? status : ObstacleStatus.Open,
        (int)row.GetInt64("votes"),
        row.GetBool("anonymous"),
        row.GetString("submitter"),
        row.GetString("history") is { Length: > 0 } history ? JsonSerializer.Deserialize<List<StatusChange>>(history, HistoryJson) ?? [] : [],
        (int)row.GetInt64("changes"),
        (int)row.GetInt64("announced"),
        row.ETag,
        (int)row.GetInt64("evidence"),
        row.GetString("teams") is { } teams ? JsonSerializer.Deserialize<List<string>>(teams) : null);

    /// <summary>The obstacle as a row. Absent values are absent properties: an anonymous one has no submitter and no team.</summary>
    public static TableEntity Write(string partition, Obstacle o)
    {
        var properties = new Dictionary<string, object?>
        {
            ["kind"] = o.Kind.ToString(),
            ["text"] = o.Text,
            ["category"] = o.Category.ToString(),
            ["createdAt"] = o.CreatedAt,
            ["status"] = o.Status.ToString(),
            ["votes"] = (long)o.Votes,
            ["anonymous"] = o.Anonymous,
            ["changes"] = (long)o.Changes,
            ["announced"] = (long)o.Announced,
        };
        if (o.CustomerEvidence > 0) properties["evidence"] = (long)o.CustomerEvidence;
        if (o.TeamId is { } team) properties["team"] = team;
        if (o.Submitter is { } submitter) properties["submitter"] = submitter;
        if (o.History.Count > 0) properties["history"] = JsonSerializer.Serialize(o.History, HistoryJson);
        if (o.BackingTeams is { } teams) properties["teams"] = JsonSerializer.Serialize(teams);
        return new TableEntity(partition, Row(o.Id), properties);
    }

    public static bool IsObstacleRow(string rowKey) => rowKey.Length > 0 && rowKey.All(char.IsAsciiDigit);
}
