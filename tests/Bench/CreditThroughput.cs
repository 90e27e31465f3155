using System.Diagnostics;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpowerBot.Bench;

/// <summary>
/// Durable credits per second through the real ledger on SQLite (WAL, synchronous=FULL: every acknowledged credit
/// survives a power cut), with N concurrent writers — against distinct reps, and all against one rep.
/// </summary>
public static class CreditThroughput
{
    private static readonly Currency Usd = Currency.Of("USD");

    public static async Task RunAsync(TimeSpan duration, int concurrency)
    {
        Console.WriteLine($"credit batches on SQLite (synchronous=FULL), {concurrency} concurrent writers, {duration.TotalSeconds:0} s each, {Environment.ProcessorCount} cores");
        Console.WriteLine("| scenario | credits | credits/s | p50 ms | p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        await ScenarioAsync("distinct reps", duration, concurrency, distinctReps: true);
        await ScenarioAsync("one rep", duration, concurrency, distinctReps: false);
    }

    private static async Task ScenarioAsync(string name, TimeSpan duration, int concurrency, bool distinctReps)
    {
        var dir = Path.Combine(Path.GetTempPath(), "empowerbot-bench", Guid.NewGuid().ToString("N"));
        await using var store = new SqliteTableStore(Path.Combine(dir, "bench.db"), NullLogger<SqliteTableStore>.Instance);
        await store.EnsureTablesAsync(Tables.All, default);
        // A budget no writer exhausts, so every credit is an applied, balance-changing batch.
        var team = new Team("bench", "Bench", "", Usd, TimeZoneInfo.Utc, new Money(1_000_000_000_00, Usd), []);
        var ledger = new CreditLedger(store, new CustomerIndex(store, new Ledger(store, TimeProvider.System), TimeProvider.System, NullLogger<CustomerIndex>.Instance), TimeProvider.System, NullLogger<CreditLedger>.Instance);
        var amount = new Money(1_00, Usd);
        CreditVerdict Apply(Money _) => new(CreditStatus.Applied, "within-policy", "ok");

        // Warm-up: JIT, connection pool, first pages.
        await ledger.RecordAsync(new Person("t", "warm", "w", team, Role.Rep), team, new CreditDraft("warm", amount, "C-1", "Bench"), Apply, default);

        var latencies = new List<double>[concurrency];
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(64_000);
            var person = new Person("t", distinctReps ? "rep-" + w : "rep", "Rep", team, Role.Rep);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await ledger.RecordAsync(person, team, new CreditDraft($"{w}-{i}", amount, "CUST-" + (i % 100), "Bench"), Apply, CancellationToken.None);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine($"| {name} | {all.Length:N0} | {all.Length / elapsed:N0} | {Percentile(all, 0.50):0.0} | {Percentile(all, 0.99):0.0} |");
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
