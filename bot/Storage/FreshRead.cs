namespace EmpowerBot.Storage;

/// <summary>
/// One read shared by every caller who asks while it is under way, yet never older than the caller's question: a
/// caller gets the result of a read that <em>started after it asked</em>, so it sees everything committed before it
/// asked, as a read of its own would. Who asks while a read runs waits for the next one, which starts as that read
/// ends and serves them all. For a point read many turns make at once to check that nothing changed (the stored
/// organisation's version on every credit): under load one storage call serves a crowd, alone it costs nothing extra.
/// </summary>
public sealed class FreshRead<T>(Func<CancellationToken, Task<T>> read)
{
    private readonly Lock gate = new();
    private TaskCompletionSource<T>? waiting; // the next read's callers, while a read runs
    private bool reading;

    /// <summary>The result of a read started after this call; <paramref name="ct"/> stops this caller's wait, not the shared read.</summary>
    public Task<T> GetAsync(CancellationToken ct)
    {
        TaskCompletionSource<T> batch;
        bool start;
        lock (gate)
        {
            waiting ??= new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            batch = waiting;
            start = !reading;
            if (start)
            {
                reading = true;
                waiting = null; // served by the read starting now
            }
        }
        if (start) _ = RunAsync(batch);
        return batch.Task.WaitAsync(ct);
    }

    /// <summary>Reads for one batch, then for whoever asked meanwhile, until nobody is waiting.</summary>
    private async Task RunAsync(TaskCompletionSource<T> batch)
    {
        while (true)
        {
            try
            {
                // Not one caller's token: the read serves them all, and the store bounds it with its own timeouts.
                batch.SetResult(await read(CancellationToken.None).ConfigureAwait(false));
            }
            catch (Exception e)
            {
                batch.SetException(e);
            }
            lock (gate)
            {
                if (waiting is null)
                {
                    reading = false;
                    return;
                }
                batch = waiting;
                waiting = null;
            }
        }
    }
}
