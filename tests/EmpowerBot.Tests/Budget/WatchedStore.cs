using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using EmpowerBot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Budget;

/// <summary>
/// The app's table store, watched: every call is timed (so a test can tell calls in parallel from calls in sequence),
/// and writes to one table can be made to fail once a batch has committed to another, as a crash between the two would.
/// </summary>
internal sealed class WatchedStore(ITableStore inner, WatchedStore.Watch watch) : ITableStore, IAsyncDisposable
{
    /// <param name="Rows">Rows a query returned (0 for other calls).</param>
    public sealed record Call(string Table, string What, long Start, long End, int Rows = 0);

    public sealed class Watch
    {
        private readonly ConcurrentQueue<Call> calls = new();
        private volatile bool committed;

        /// <summary>Once a batch to <see cref="FailAfter"/> commits, every write to <see cref="FailingTable"/> fails.</summary>
        public (string FailAfter, string FailingTable)? Fault { get; set; }

        public IReadOnlyList<Call> Calls => calls.ToArray();

        /// <summary>
        /// Single replaces and inserts to this table (a credit's completion of its history line) wait until
        /// <see cref="Release"/>: a test can tell whether a reply waited for them. Upserts (an undo's) and batches pass.
        /// </summary>
        public string? HoldCompletionsTo { get; set; }

        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => released.TrySetResult();

        private int held;

        /// <summary>How many upserts are waiting for <see cref="Release"/> now or have waited.</summary>
        public int Held => Volatile.Read(ref held);

        internal Task HeldAsync(string table, IReadOnlyList<TableOperation> batch)
        {
            if (table != HoldCompletionsTo || batch is not [{ Kind: TableOperationKind.Replace or TableOperationKind.Insert }]) return Task.CompletedTask;
            Interlocked.Increment(ref held);
            return released.Task;
        }

        /// <summary>Awaited before each batch reaches the store (table, operations): a test can run something while a write is on its way.</summary>
        public Func<string, IReadOnlyList<TableOperation>, Task>? BeforeSubmit { get; set; }

        /// <summary>Added to every call, as a network round trip would be, so calls issued together overlap on any backend.</summary>
        public TimeSpan Latency { get; set; }

        public void Clear() => calls.Clear();

        internal void Record(Call call) => calls.Enqueue(call);

        internal void Committed(string table) => committed |= Fault?.FailAfter == table;

        internal bool Fails(string table) => committed && Fault?.FailingTable == table;

        /// <summary>
        /// The longest chain of these calls each starting after the one before it ended: how many round trips a
        /// request waits for, however many calls run beside them.
        /// </summary>
        public static int Sequential(IReadOnlyList<Call> calls)
        {
            var ordered = calls.OrderBy(c => c.End).ToList();
            var depth = new int[ordered.Count];
            for (var i = 0; i < ordered.Count; i++)
            {
                depth[i] = 1 + Enumerable.Range(0, i).Where(j => ordered[j].End <= ordered[i].Start).Select(j => depth[j]).DefaultIfEmpty(0).Max();
            }
            return depth.DefaultIfEmpty(0).Max();
        }
    }

    public static void Decorate(IServiceCollection services, Watch watch)
    {
        var registration = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.Remove(registration);
        services.AddSingleton<ITableStore>(sp => new WatchedStore((ITableStore)registration.ImplementationFactory!(sp), watch));
    }

    public Task EnsureTablesAsync(IEnumerable<string> tables, CancellationToken ct) => inner.EnsureTablesAsync(tables, ct);

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        await RoundTripAsync(ct);
        try { return await inner.GetAsync(table, partitionKey, rowKey, ct); }
        finally { watch.Record(new Call(table, "get " + rowKey, start, Stopwatch.GetTimestamp())); }
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, string partitionKey, string? fromRowKey, string? toRowKey,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        await RoundTripAsync(ct);
        var rows = await inner.QueryAsync(table, partitionKey, fromRowKey, toRowKey, ct).ToListAsync(ct);
        watch.Record(new Call(table, "query", start, Stopwatch.GetTimestamp(), rows.Count));
        foreach (var row in rows) yield return row;
    }

    public async Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> batch, CancellationToken ct)
    {
        if (watch.Fails(table)) throw new StorageUnavailableException($"the store went away before this write to {table}");
        var start = Stopwatch.GetTimestamp();
        await RoundTripAsync(ct);
        await watch.HeldAsync(table, batch).WaitAsync(ct);
        if (watch.BeforeSubmit is { } before) await before(table, batch);
        try
        {
            var etags = await inner.SubmitAsync(table, batch, ct);
            watch.Committed(table);
            return etags;
        }
        finally { watch.Record(new Call(table, $"batch of {batch.Count}", start, Stopwatch.GetTimestamp())); }
    }

    private Task RoundTripAsync(CancellationToken ct) => watch.Latency > TimeSpan.Zero ? Task.Delay(watch.Latency, ct) : Task.CompletedTask;

    public Task<bool> PingAsync(CancellationToken ct) => inner.PingAsync(ct);

    // The container disposes what its factory made, which is this wrapper: the store inside goes with it.
    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
