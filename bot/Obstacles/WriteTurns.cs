namespace EmpowerBot.Obstacles;

/// <summary>
/// Writes to the same row take turns within this instance (a striped lock), so concurrent votes or submissions do not
/// fight over one ETag and retry in a storm. Across instances the ETag conditions alone keep the counts right.
/// </summary>
public sealed class WriteTurns
{
    private const int Stripes = 256;
    private readonly SemaphoreSlim[] stripes = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<T> RunAsync<T>(string key, Func<Task<T>> write, CancellationToken ct)
    {
        var stripe = stripes[(int)((uint)StableHash(key) % Stripes)];
        await stripe.WaitAsync(ct);
        try
        {
            return await write();
        }
        finally
        {
            stripe.Release();
        }
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h;
    }
}
