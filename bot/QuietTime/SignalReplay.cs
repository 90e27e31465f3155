using System.Globalization;
using EmpowerBot.Storage;

namespace EmpowerBot.QuietTime;

/// <summary>
/// Refuses a signed signals request seen before. Each accepted signature is kept in the quiettime table (partition
/// "!signals", row "{expiry ticks}|{signature}") until its timestamp leaves the tolerance window, after which the
/// timestamp check refuses it anyway; rows past their expiry are swept by later requests. Being in the store, this
/// holds across restarts and across instances sharing it.
/// </summary>
public sealed class SignalReplay(ITableStore store, ILogger<SignalReplay> log)
{
    private const string Partition = "!signals";

    /// <summary>True the first time this signature is seen; false for a replay.</summary>
    public async Task<bool> TryRememberAsync(long unixSeconds, string signature, DateTimeOffset now, CancellationToken ct)
    {
        await SweepAsync(now, ct);
        try
        {
            await store.InsertAsync(Tables.QuietTime, new TableEntity(Partition, Row(unixSeconds, signature)), ct);
            return true;
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists)
        {
            return false;
        }
    }

    /// <summary>Forgets a request whose events could not be stored, so the sender may send it again.</summary>
    public async Task ForgetAsync(long unixSeconds, string signature, CancellationToken ct)
    {
        try
        {
            await store.DeleteAsync(Tables.QuietTime, Partition, Row(unixSeconds, signature), TableOperation.AnyETag, ct);
        }
        catch (Exception e) when (e is StorageConflictException or StorageUnavailableException)
        {
            log.LogWarning(e, "Could not forget a signals request that failed; its sender must sign it afresh");
        }
    }

    private static string Row(long unixSeconds, string signature) =>
        (DateTimeOffset.FromUnixTimeSeconds(unixSeconds) + SignalsEndpoint.Tolerance).UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + signature;

    private async Task SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        var expired = new List<TableEntity>();
        await foreach (var row in store.QueryAsync(Tables.QuietTime, Partition, null, now.UtcTicks.ToString("D19", CultureInfo.InvariantCulture), ct))
        {
            expired.Add(row);
            if (expired.Count == 100) break;
        }
        if (expired.Count == 0) return;
        try
        {
            await store.SubmitAsync(Tables.QuietTime, expired.Select(r => TableOperation.Delete(Partition, r.RowKey, r.ETag!)).ToList(), ct);
        }
        catch (StorageConflictException)
        {
            // Another request swept them first.
        }
    }
}
