namespace EmpowerBot.Outbox;

/// <summary>
/// Wakes this instance's dispatcher when a message is enqueued already due, so it goes out without waiting for the
/// next poll. In-process only: other instances find the message on their next poll.
/// </summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
    private int _pending;

    /// <summary>Cheap and idempotent: many wakes before the dispatcher looks amount to one extra poll.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>
    /// Returns after a wake or after <paramref name="timeout"/> of real time. The wall clock on purpose: tests
    /// simulate business time with a fake clock, and the loop must keep polling while they move it.
    /// </summary>
    internal async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (await _wake.WaitAsync(timeout, ct).ConfigureAwait(false))
        {
            // Reset after taking the wake: a wake racing with this line is covered by the poll that follows.
            Volatile.Write(ref _pending, 0);
        }
    }

    public void Dispose() => _wake.Dispose();
}
