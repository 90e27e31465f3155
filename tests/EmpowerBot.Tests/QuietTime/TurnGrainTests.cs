using System.Runtime.CompilerServices;
using EmpowerBot.QuietTime;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>
/// Turns closer together than a minute are one moment of activity: after the first, they cost no read of the rep's
/// quiet-time state. What the state must still see — the first turn after the minute, a turn after a break ended
/// early — it sees.
/// </summary>
public sealed class TurnGrainTests : IAsyncLifetime
{
    private readonly CountingStore.Counter reads = new();
    private QuietBot q = null!;

    public async Task InitializeAsync() =>
        q = await QuietBot.StartAsync(services: s => CountingStore.Decorate(s, reads));

    public async Task DisposeAsync() => await q.DisposeAsync();

    private int StateReads => reads.Of(Tables.QuietTime);

    [Fact]
    public async Task Turns_within_a_minute_of_the_recorded_one_read_no_state_and_the_next_minute_is_recorded()
    {
        await q.SayAsync(0, "budget");
        var first = (await q.StateAsync(0)).LastActive;
        var before = StateReads;

        for (var i = 0; i < 5; i++)
        {
            await q.AdvanceAsync(TimeSpan.FromSeconds(10));
            await q.SayAsync(0, "budget");
        }
        Assert.Equal(before, StateReads);

        await q.AdvanceAsync(TimeSpan.FromSeconds(15)); // 65 s after the recorded turn
        await q.SayAsync(0, "budget");
        Assert.True(StateReads > before);
        Assert.Equal(first + TimeSpan.FromSeconds(65), (await q.StateAsync(0)).LastActive);
    }

    [Fact]
    public async Task A_turn_right_after_a_break_ended_early_starts_a_new_stretch_of_activity()
    {
        await q.SayAsync(0, "budget");
        await q.SayAsync(0, "break");
        await q.AdvanceAsync(TimeSpan.FromSeconds(20));
        await q.SayAsync(0, "back");
        Assert.Null((await q.StateAsync(0)).ActiveSince);

        await q.AdvanceAsync(TimeSpan.FromSeconds(10));
        await q.SayAsync(0, "budget");

        Assert.Equal(QuietBot.MondayTenAm + TimeSpan.FromSeconds(30), (await q.StateAsync(0)).ActiveSince);
    }

    [Fact]
    public async Task A_signal_is_never_skipped_even_right_after_a_turn()
    {
        await q.SayAsync(0, "budget");
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1));

        Assert.Equal(1, (await q.StateAsync(0)).Handled);
    }
}

/// <summary>The app's table store, counting reads per table.</summary>
internal sealed class CountingStore(ITableStore inner, CountingStore.Counter counter) : ITableStore, IAsyncDisposable
{
    public sealed class Counter
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new();
        public void Read(string table) => _reads.AddOrUpdate(table, 1, (_, n) => n + 1);
        public int Of(string table) => _reads.GetValueOrDefault(table);
    }

    public static void Decorate(IServiceCollection services, Counter counter)
    {
        var registration = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.Remove(registration);
        services.AddSingleton<ITableStore>(sp => new CountingStore((ITableStore)registration.ImplementationFactory!(sp), counter));
    }

    public Task EnsureTablesAsync(IEnumerable<string> tables, CancellationToken ct) => inner.EnsureTablesAsync(tables, ct);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct)
    {
        counter.Read(table);
        return inner.GetAsync(table, partitionKey, rowKey, ct);
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(string table, string partitionKey, string? fromRowKey, string? toRowKey,
        [EnumeratorCancellation] CancellationToken ct)
    {
        counter.Read(table);
        await foreach (var row in inner.QueryAsync(table, partitionKey, fromRowKey, toRowKey, ct)) yield return row;
    }

    public Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> batch, CancellationToken ct) =>
        inner.SubmitAsync(table, batch, ct);

    public Task<bool> PingAsync(CancellationToken ct) => inner.PingAsync(ct);

    // The container disposes what its factory made, which is this wrapper: the store inside goes with it.
    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
