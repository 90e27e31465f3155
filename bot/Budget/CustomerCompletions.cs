using System.Threading.Channels;

namespace EmpowerBot.Budget;

/// <summary>
/// Finishes a credit's line in its customer's history right after the turn that recorded it, off the turn's path: the
/// rep's reply waits for the reads, the reservation and the ledger batch only. Then the outbox follow-up queued before
/// the reservation is forgotten, unread and undelivered. What this does not get to (a full queue, a failed call, a stop)
/// the follow-up does when it falls due, so the history is complete either way.
/// </summary>
public sealed class CustomerCompletions(CustomerFollowUp followUp, ILogger<CustomerCompletions> log) : BackgroundService
{
    private const int Capacity = 4096;
    private readonly Channel<(CustomerReservation Reservation, Credit Credit)> queue =
        Channel.CreateBounded<(CustomerReservation, Credit)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues the completion of a credit this instance just recorded (never a replayed one: its first delivery owns it).</summary>
    public void Post(CustomerReservation reservation, Credit recorded)
    {
        if (!queue.Writer.TryWrite((reservation, recorded)))
            log.LogDebug("Completion of {Uid} left to its follow-up: the queue is full", reservation.Uid);
    }

    /// <summary>
    /// Completions in flight at once. Each is two storage round trips (the history line, then the follow-up's removal);
    /// one at a time falls behind as soon as credits arrive faster than a round trip pair, on Azure Table Storage at
    /// about a hundred credits a second, and the rest would wait for their follow-ups.
    /// </summary>
    internal const int Parallelism = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken };
        try
        {
            await Parallel.ForEachAsync(queue.Reader.ReadAllAsync(stoppingToken), options, async (item, ct) =>
            {
                var (reservation, credit) = item;
                try
                {
                    await followUp.FinishAsync(reservation, credit, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Completion of {Uid} in its customer's history left to its follow-up", reservation.Uid);
                }
            });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
