using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

public enum TriageOutcome { Changed, Unchanged, NotPermitted, NotAllowed, NeedsReason, Unknown }

/// <summary>What a status change did, the obstacle afterwards, and how many people were told.</summary>
public sealed record TriageResult(TriageOutcome Outcome, Obstacle? Obstacle, int Told = 0);

/// <summary>
/// Managers move an obstacle along: open → acknowledged → in progress → fixed | won't fix (with a reason), skipping
/// steps as they like; a closed one can only be reopened. Everyone who raised or backed it hears about each change
/// through the outbox, one message per person with a stable id, so a retried fan-out does not tell anyone twice
/// while their message is still waiting.
/// </summary>
public sealed class ObstacleTriage(ITableStore store, ObstacleChanges changes, ObstacleVotes votes, Notifier notifier, TimeProvider clock, ILogger<ObstacleTriage> log)
{
    public const int MaxNoteLength = 500;
    private const int MaxAttempts = 16;

    public static bool Allowed(ObstacleStatus from, ObstacleStatus to) => to switch
    {
        ObstacleStatus.Open => from.IsClosed(),
        ObstacleStatus.Acknowledged => from == ObstacleStatus.Open,
        ObstacleStatus.InProgress => from is ObstacleStatus.Open or ObstacleStatus.Acknowledged,
        _ => !from.IsClosed(),
    };

    public async Task<TriageResult> SetStatusAsync(Person manager, int id, ObstacleStatus status, string? note, CancellationToken ct)
    {
        // Checked here as well as by the commands, so no path (a forged card action included) gets past it.
        if (!manager.IsManager) return new TriageResult(TriageOutcome.NotPermitted, null);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        var partition = ObstacleRows.Partition(manager.TenantId);
        for (var attempt = 1; ; attempt++)
        {
            var (counter, row) = await changes.ReadAsync(partition, id, ct);
            if (row is null) return new TriageResult(TriageOutcome.Unknown, null);
            var obstacle = ObstacleRows.Read(row);
            if (obstacle.Status == status)
            {
                // Said again, perhaps because the first attempt failed half-way: finish telling people, if need be.
                var resumed = obstacle.Announced < obstacle.Changes ? await AnnounceAsync(manager.TenantId, obstacle, ct) : 0;
                return new TriageResult(TriageOutcome.Unchanged, obstacle, resumed);
            }
            if (!Allowed(obstacle.Status, status)) return new TriageResult(TriageOutcome.NotAllowed, obstacle);
            if (status == ObstacleStatus.WontFix && note is null) return new TriageResult(TriageOutcome.NeedsReason, obstacle);
            var change = new StatusChange(status, note, manager.Name, manager.Key, clock.GetUtcNow());
            var updated = obstacle with
            {
                Status = status,
                History = obstacle.History.Append(change).TakeLast(Obstacle.MaxHistory).ToList(),
                Changes = obstacle.Changes + 1,
            };
            try
            {
                var etag = (await changes.SubmitAsync(partition, counter, id, [TableOperation.Replace(ObstacleRows.Write(partition, updated), row.ETag!)], ct))[0];
                log.LogInformation("Obstacle {ObstacleId} set to {Status} by {Manager}", id, status, manager.Key);
                return new TriageResult(TriageOutcome.Changed, updated with { ETag = etag }, await AnnounceAsync(manager.TenantId, updated, ct));
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                // A vote landed in between (or another manager acted): decide again on the fresh row.
            }
        }
    }

    /// <summary>Tells the submitter (unless anonymous) and every backer about the latest change, except whoever made it.</summary>
    private async Task<int> AnnounceAsync(string tenantId, Obstacle obstacle, CancellationToken ct)
    {
        var change = obstacle.LastChange!;
        var backers = await votes.BackersAsync(tenantId, obstacle.Id, ct);
        var recipients = (obstacle.Submitter is { } submitter ? backers.Prepend(submitter) : backers)
            .Where(p => p != change.ByKey)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var person in recipients)
        {
            var news = ObstacleNews.For(obstacle, change, raised: person == obstacle.Submitter);
            // Due at the change's own time: enqueuing the same id and due again while it waits changes nothing.
            await notifier.SendAsync(NotificationId(tenantId, obstacle, person), Notification.Of(tenantId, person, news), ct, change.At);
        }
        await MarkAnnouncedAsync(tenantId, obstacle.Id, obstacle.Changes, ct);
        log.LogDebug("Obstacle {ObstacleId}: {Count} people told it is {Status}", obstacle.Id, recipients.Count, change.Status);
        return recipients.Count;
    }

    private async Task MarkAnnouncedAsync(string tenantId, int id, int changes, CancellationToken ct)
    {
        var partition = ObstacleRows.Partition(tenantId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var row = await store.GetAsync(Tables.Obstacles, partition, ObstacleRows.Row(id), ct);
            if (row is null) return;
            var obstacle = ObstacleRows.Read(row);
            if (obstacle.Announced >= changes) return;
            try
            {
                await store.ReplaceAsync(Tables.Obstacles, ObstacleRows.Write(partition, obstacle with { Announced = changes }), row.ETag!, ct);
                return;
            }
            catch (StorageConflictException)
            {
                // A vote moved the row: mark the fresh one.
            }
        }
    }

    /// <summary>"obstacle-{tenant}-{id}-{change}-{status}-{person}": stable for one change and one person.</summary>
    public static string NotificationId(string tenantId, Obstacle obstacle, string personKey) =>
        $"obstacle-{Safe(tenantId)}-{obstacle.Id}-{obstacle.Changes}-{obstacle.Status.Word()}-{Safe(personKey)}";

    // Outbox ids become table keys: a part with a character keys refuse (or a very long one) is replaced by its hash.
    private static string Safe(string part) =>
        part.Length <= 80 && part.All(c => c is not ('/' or '\\' or '#' or '?') && !char.IsControl(c) && !char.IsSurrogate(c))
            ? part
            : "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(part)))[..24];
}
