using System.Threading.Channels;

namespace EmpowerBot.Budget;

/// <summary>
/// Finishes a credit's line in its customer's history right after the turn that recorded it, off the turn's path: the
/// rep's reply waits for the reads, the reservation and the ledger batch only. What this does not get to (a full
/// queue, a failed call, a crash) stays a reservation, which counts like the applied credit it is and is settled from
/// the ledger by the next reader once <see cref="CustomerIndex.CommitGrace"/> has passed.
/// </summary>
public sealed class CustomerCompletions(CustomerIndex customers, ILogger<CustomerCompletions> log) : BackgroundService
{
    private const int Capacity = 4096;
    private readonly Channel<(CustomerReservation Reservation, Credit Credit, string? ReservationETag)> queue =
        Channel.CreateBounded<(CustomerReservation, Credit, string?)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues the completion of a credit this instance just recorded (never a replayed one: its first delivery owns it).</summary>
    public void Post(CustomerReservation reservation, Credit recorded, string? reservationETag)
    {
        // A credit recorded otherwise than applied holds no place: the ledger gave it back.
        if (recorded.Status != CreditStatus.Applied) return;
        if (!queue.Writer.TryWrite((reservation, recorded, reservationETag)))
            log.LogDebug("Completion of {Uid} left to the next reader of its customer's history: the queue is full", reservation.Uid);
    }

    /// <summary>
    /// Completions in flight at once. Each is one storage round trip; one at a time falls behind as soon as credits
    /// arrive faster than that, on Azure Table Storage at a few hundred credits a second.
    /// </summary>
    internal const int Parallelism = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken };
        try
        {
            await Parallel.ForEachAsync(queue.Reader.ReadAllAsync(stoppingToken), options, async (item, ct) =>
            {
                var (reservation, credit, etag) = item;
                try
                {
                    await customers.CompleteAsync(reservation.TenantId, reservation.PersonKey, credit, etag, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Completion of {Uid} in its customer's history left to its next reader", reservation.Uid);
                }
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
