using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Insights;

/// <summary>Good news: what a customer said, or what a colleague did, as someone shared it.</summary>
public sealed record Kudo(string Id, string Text, string FromName, string? ColleagueKey, string? ColleagueName, DateTimeOffset At);

/// <summary>
/// The kudos log (kudos table): one partition per tenant, team and month, so a digest reads its month in one query.
/// A redelivered message writes the same row (its id comes from the channel's activity id).
/// </summary>
public sealed class KudosLog(ITableStore store)
{
    public static string Partition(string tenantId, string teamId, Period period) => Tables.Key(tenantId, teamId, period.Key);

    /// <returns>False when this kudos was already recorded (a redelivery).</returns>
    public async Task<bool> AddAsync(string tenantId, string teamId, Period period, string activityKey, Kudo kudo, CancellationToken ct)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(activityKey)))[..24];
        var properties = new Dictionary<string, object?> { ["text"] = kudo.Text, ["fromName"] = kudo.FromName, ["at"] = kudo.At };
        if (kudo.ColleagueKey is not null) properties["colleague"] = kudo.ColleagueKey;
        if (kudo.ColleagueName is not null) properties["colleagueName"] = kudo.ColleagueName;
        try
        {
            await store.InsertAsync(Tables.Kudos, new TableEntity(Partition(tenantId, teamId, period), $"{kudo.At.UtcTicks:D19}|{id}", properties), ct);
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
        await foreach (var row in store.QueryAsync(Tables.Kudos, Partition(tenantId, teamId, period), null, null, ct))
        {
            list.Add(new Kudo(row.RowKey, row.GetString("text") ?? "", row.GetString("fromName") ?? "", row.GetString("colleague"),
                row.GetString("colleagueName"), row.GetTime("at") ?? DateTimeOffset.MinValue));
        }
        list.Reverse();
        return list;
    }
}
