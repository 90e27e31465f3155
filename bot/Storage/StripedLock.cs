namespace EmpowerBot.Storage;

/// <summary>
/// Writes under the same key take turns within this instance (a striped lock: a fixed set of semaphores, the key
/// hashed onto one), so concurrent writes to one row or partition do not fight over its ETag and retry in a storm.
/// Across instances the ETag conditions alone keep the data right; this only spares the retries. Keys that share a
/// stripe wait for each other needlessly but harmlessly.
/// </summary>
public sealed class StripedLock(int stripes = 256)
{
    private readonly SemaphoreSlim[] turns = Enumerable.Range(0, stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<T> RunAsync<T>(string key, Func<Task<T>> write, CancellationToken ct)
    {
        var turn = turns[StableHash(key) % (uint)turns.Length];
        await turn.WaitAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>The same in every process (string.GetHashCode is randomised per process; here only speed matters).</summary>
    private static uint StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return (uint)h;
    }
}
