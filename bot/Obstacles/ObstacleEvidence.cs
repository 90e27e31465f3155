using EmpowerBot.Insights;
using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

/// <summary>
/// A customer's low rating whose words match an open obstacle counts as evidence for it: "3 customers said the same"
/// beside its backers. The evidence row and the obstacle's count go in one batch under the obstacle's ETag, and the
/// row is keyed by the rating, so the same rating sent twice counts once, on any instance.
/// </summary>
public sealed class ObstacleEvidence(ObstacleIntake intake, ObstacleChanges changes, ILogger<ObstacleEvidence> log) : ICustomerComplaints
{
    private const int MaxAttempts = 16;

    public async Task<int?> AddAsync(string tenantId, string ratingId, string comment, CancellationToken ct)
    {
        var match = (await intake.SimilarAsync(tenantId, comment, ct)).FirstOrDefault(o => o.Kind == ObstacleKind.Obstacle);
        if (match is null) return null;
        var partition = ObstacleRows.Partition(tenantId);
        for (var attempt = 1; ; attempt++)
        {
            var (counter, row) = await changes.ReadAsync(partition, match.Id, ct);
            if (row is null) return null;
            var obstacle = ObstacleRows.Read(row);
            if (obstacle.IsClosed) return null;
            var counted = obstacle with { CustomerEvidence = obstacle.CustomerEvidence + 1 };
            try
            {
                await changes.SubmitAsync(partition, counter, match.Id,
                [
                    TableOperation.Insert(new TableEntity(partition, ObstacleRows.EvidenceRow(match.Id, ratingId), new Dictionary<string, object?>())),
                    TableOperation.Replace(ObstacleRows.Write(partition, counted), row.ETag!),
                ], ct);
                log.LogInformation("Obstacle {ObstacleId}: a customer's rating counted as evidence ({Count} now)", match.Id, counted.CustomerEvidence);
                return match.Id;
            }
            catch (StorageConflictException e) when (e.OperationIndex == 0 && e.Reason == ConflictReason.EntityExists)
            {
                return match.Id; // this rating counted already
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(50, attempt * 3))), ct);
            }
        }
    }
}
