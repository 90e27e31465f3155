using System.Globalization;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

/// <summary>A logged obstacle, and whether this was a redelivery of a submission already logged.</summary>
public sealed record ObstacleLogged(Obstacle Obstacle, bool Replayed);

/// <summary>
/// The write side of logging. One submission is one atomic batch in the tenant's partition: the obstacle row + an
/// idempotency row + the submitter's vote row (none when anonymous) + the id counter (with the ETag it was read at) and
/// its change row (<see cref="ObstacleChanges"/>).
/// Two submissions racing for the same id conflict on the counter and the loser takes the next number, so ids are
/// unique and gapless whatever the concurrency; a redelivered submission finds its idempotency row and gets the
/// obstacle it already produced.
/// </summary>
public sealed class ObstacleLog(ITableStore store, ObstacleChanges changes, StripedLock turns, TimeProvider clock, ILogger<ObstacleLog> log)
{
    private const int MaxAttempts = 64;

    /// <param name="keys">Where to look for an earlier delivery of this submission, and (the first) the one to record.</param>
    public Task<ObstacleLogged> LogAsync(Person person, ObstacleDraft draft, SubmissionKeys keys, CancellationToken ct)
    {
        var partition = ObstacleRows.Partition(person.TenantId);
        return turns.RunAsync(partition + "|" + ObstacleRows.CounterRow, () => LogInTurnAsync(person, draft, keys, partition, ct), ct);
    }

    /// <summary>The obstacle an earlier delivery of this submission logged, if any.</summary>
    public async Task<Obstacle?> FindReplayAsync(string tenantId, SubmissionKeys keys, CancellationToken ct)
    {
        var partition = ObstacleRows.Partition(tenantId);
        foreach (var key in keys.All)
        {
            if (await store.GetAsync(Tables.Obstacles, partition, ObstacleRows.IdempotencyRow(key), ct) is { } seen
                && await store.GetAsync(Tables.Obstacles, partition, ObstacleRows.Row((int)seen.GetInt64("obstacle")), ct) is { } row)
            {
                return ObstacleRows.Read(row);
            }
        }
        return null;
    }

    private async Task<ObstacleLogged> LogInTurnAsync(Person person, ObstacleDraft draft, SubmissionKeys keys, string partition, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            if (await FindReplayAsync(person.TenantId, keys, ct) is { } earlier)
            {
                return new ObstacleLogged(earlier, Replayed: true);
            }
            var counter = await changes.CounterAsync(partition, ct);
            var id = checked((int)(ObstacleRows.ReadCounter(counter) + 1));
            var now = clock.GetUtcNow();
            var obstacle = draft.Anonymous
                // Nothing that could point at the person: no submitter, no team (on a small team it names them), and only
                // the day, so the time cannot be matched against other records of theirs.
                ? new Obstacle(id, draft.Kind, draft.Text, draft.Category, null, new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero),
                    ObstacleStatus.Open, 1, true, null, []) { BackingTeams = [] }
                : new Obstacle(id, draft.Kind, draft.Text, draft.Category, person.Team?.Id, now, ObstacleStatus.Open, 1, false, person.Key, [])
                {
                    BackingTeams = person.Team is { } team ? [team.Id] : [],
                };
            var batch = new List<TableOperation>
            {
                TableOperation.Insert(ObstacleRows.Write(partition, obstacle)),
                TableOperation.Insert(ObstacleRows.WriteIdempotency(partition, keys.Record, id)),
            };
            if (!draft.Anonymous)
            {
                batch.Add(TableOperation.Insert(ObstacleRows.WriteVote(partition, id, person.Key, now)));
            }
            try
            {
                await changes.SubmitAsync(partition, counter, id, batch, ct, last: id);
                // Never the text or the person: the text of an anonymous submission may itself say who wrote it.
                log.LogInformation("Logged {Kind} {ObstacleId} ({Category}, anonymous: {Anonymous})", draft.Kind, id, draft.Category, draft.Anonymous);
                return new ObstacleLogged(obstacle, Replayed: false);
            }
            catch (StorageConflictException e) when (attempt < MaxAttempts)
            {
                // Another submission took this id (another instance), or the same one landed concurrently: read again.
                log.LogDebug("Obstacle log conflict on operation {Index} ({Reason}), attempt {Attempt}", e.OperationIndex, e.Reason, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(50, attempt * 2))), ct);
            }
        }
    }
}

/// <summary>
/// How a submission is recognised when a channel delivers it again. <see cref="Record"/> is written with the obstacle;
/// <see cref="All"/> are looked up first.
/// </summary>
public sealed record SubmissionKeys(string Record, IReadOnlyList<string> All)
{
    /// <summary>
    /// Named submissions: the form's own key (or the channel's activity id for typed text). Anonymous ones: the text itself and the day (and the day before, for
    /// a retry across midnight), never the activity id, which the channel could trace back to the person's message.
    /// So an identical anonymous text on the same day is the same submission, and nothing new is learned from the row.
    /// </summary>
    public static SubmissionKeys For(Turn turn, ObstacleDraft draft)
    {
        if (!draft.Anonymous)
        {
            var key = turn.IdempotencyKey ?? Guid.NewGuid().ToString("N");
            return new SubmissionKeys(key, [key]);
        }
        var text = CommandText.Normalize(draft.Text);
        var today = turn.ReceivedAt.UtcDateTime.Date;
        string Key(DateTime day) => string.Create(CultureInfo.InvariantCulture, $"anonymous|{draft.Kind.Word()}|{day:yyyy-MM-dd}|{text}");
        return new SubmissionKeys(Key(today), [Key(today), Key(today.AddDays(-1))]);
    }
}
