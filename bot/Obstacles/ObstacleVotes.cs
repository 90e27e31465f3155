using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

public enum VoteOutcome { Backed, AlreadyBacked, Closed, Unknown }

/// <summary>What a +1 did, and the obstacle as it stands afterwards (null when there is no such obstacle).</summary>
public sealed record VoteResult(VoteOutcome Outcome, Obstacle? Obstacle);

/// <summary>
/// +1s. One per person per obstacle: the vote row <c>vote|{id}|{person}</c> is inserted in the same batch as the
/// obstacle's count goes up (replace-if-match), so the count always equals the vote rows (plus one for an anonymous
/// submitter). A second +1 fails the insert and changes nothing; a count that moved meanwhile fails the replace and
/// the vote is tried again on fresh data.
/// </summary>
public sealed class ObstacleVotes(ITableStore store, ObstacleChanges changes, StripedLock turns, TimeProvider clock, ILogger<ObstacleVotes> log)
{
    private const int MaxAttempts = 64;

    /// <param name="teamId">The backer's team now, kept among the obstacle's backing teams; null for someone in none.</param>
    public Task<VoteResult> BackAsync(string tenantId, int id, string personKey, string? teamId, CancellationToken ct)
    {
        var partition = ObstacleRows.Partition(tenantId);
        return turns.RunAsync(partition + "|" + ObstacleRows.Row(id), () => BackInTurnAsync(partition, id, personKey, teamId, ct), ct);
    }

    public async Task<bool> HasBackedAsync(string tenantId, int id, string personKey, CancellationToken ct) =>
        await store.GetAsync(Tables.Obstacles, ObstacleRows.Partition(tenantId), ObstacleRows.VoteRow(id, personKey), ct) is not null;

    /// <summary>Everyone with a vote on the obstacle (the named submitter among them), in row order.</summary>
    public async Task<IReadOnlyList<string>> BackersAsync(string tenantId, int id, CancellationToken ct)
    {
        var prefix = ObstacleRows.VotesOf(id);
        var rows = await store.QueryPrefixAsync(Tables.Obstacles, ObstacleRows.Partition(tenantId), prefix, ct).ToListAsync(ct);
        return rows.Select(r => r.RowKey[prefix.Length..]).ToList();
    }

    private async Task<VoteResult> BackInTurnAsync(string partition, int id, string personKey, string? teamId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var (counter, row) = await changes.ReadAsync(partition, id, ct);
            if (row is null) return new VoteResult(VoteOutcome.Unknown, null);
            var obstacle = ObstacleRows.Read(row);
            if (obstacle.IsClosed) return new VoteResult(VoteOutcome.Closed, obstacle);
            if (await store.GetAsync(Tables.Obstacles, partition, ObstacleRows.VoteRow(id, personKey), ct) is not null)
            {
                return new VoteResult(VoteOutcome.AlreadyBacked, obstacle);
            }
            var backed = obstacle with
            {
                Votes = obstacle.Votes + 1,
                // A row older than the field stays without it: its teams are counted from the votes, as they always were.
                BackingTeams = obstacle.BackingTeams is { } teams && teamId is not null && !teams.Contains(teamId, StringComparer.OrdinalIgnoreCase)
                    ? [.. teams, teamId]
                    : obstacle.BackingTeams,
            };
            try
            {
                var etags = await changes.SubmitAsync(partition, counter, id,
                [
                    TableOperation.Insert(ObstacleRows.WriteVote(partition, id, personKey, clock.GetUtcNow())),
                    TableOperation.Replace(ObstacleRows.Write(partition, backed), row.ETag!),
                ], ct);
                log.LogInformation("Obstacle {ObstacleId} backed: {Votes} votes", id, backed.Votes);
                return new VoteResult(VoteOutcome.Backed, backed with { ETag = etags[1] });
            }
            catch (StorageConflictException e) when (e.OperationIndex == 0 && e.Reason == ConflictReason.EntityExists)
            {
                // The same person's +1 landed concurrently (a double click, another instance): theirs already counts.
                return new VoteResult(VoteOutcome.AlreadyBacked, obstacle);
            }
            catch (StorageConflictException e) when (attempt < MaxAttempts)
            {
                log.LogDebug("Vote on obstacle {ObstacleId} conflicted ({Reason}), attempt {Attempt}", id, e.Reason, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(50, attempt * 2))), ct);
            }
        }
    }
}
