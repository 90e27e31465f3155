using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Budget;
using EmpowerBot.Storage;

namespace EmpowerBot.Insights;

/// <summary>Good news: what a customer said, or what a colleague did, as someone shared it.</summary>
public sealed record Kudo(string Id, string Text, string FromName, string? ColleagueKey, string? ColleagueName, DateTimeOffset At);

/// <summary>
/// The kudos log (kudos table): one partition per tenant, team and month, so a digest reads its month in one query.
/// A redelivered message records nothing: a marker keyed by the channel's activity id is written with each kudos.
/// </summary>
public sealed class KudosLog(ITableStore store)
{
    /// <summary>Markers of the activities already recorded; they sort after every kudos row (digits).</summary>
    private const string SeenPrefix = "seen|";

    public static string Partition(string tenantId, string teamId, Period period) => Tables.Key(tenantId, teamId, period.Key);

    /// <returns>False when this kudos was already recorded (a redelivery).</returns>
    public async Task<bool> AddAsync(string tenantId, string teamId, Period period, string activityKey, Kudo kudo, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(activityKey)))[..24];
        var properties = new Dictionary<string, object?> { ["text"] = kudo.Text, ["fromName"] = kudo.FromName, ["at"] = kudo.At };
        if (kudo.ColleagueKey is not null) properties["colleague"] = kudo.ColleagueKey;
        if (kudo.ColleagueName is not null) properties["colleagueName"] = kudo.ColleagueName;
        var partition = Partition(tenantId, teamId, period);
        try
        {
            // The kudos is keyed by time (for its order) and a marker by the activity alone, in one batch: a redelivery,
            // read at another instant, finds the marker and records nothing.
            await store.SubmitAsync(Tables.Kudos,
            [
                TableOperation.Insert(new TableEntity(partition, SeenPrefix + id, new Dictionary<string, object?>())),
                TableOperation.Insert(new TableEntity(partition, $"{kudo.At.UtcTicks:D19}|{id}", properties)),
            ], ct);
            return true;
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists)
        {
            return false;
        }
    }

    /// <summary>The month's kudos, newest first.</summary>
    public async Task<IReadOnlyList<Kudo>> ListAsync(string tenantId, string teamId, Period period, CancellationToken ct)
    {
        var list = new List<Kudo>();
        await foreach (var row in store.QueryAsync(Tables.Kudos, Partition(tenantId, teamId, period), null, SeenPrefix, ct))
        {
            list.Add(new Kudo(row.RowKey, row.GetString("text") ?? "", row.GetString("fromName") ?? "", row.GetString("colleague"),
                row.GetString("colleagueName"), row.GetTime("at") ?? DateTimeOffset.MinValue));
        }
        list.Reverse();
        return list;
    }
}
