using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using EmpowerBot.Budget;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Budget;

/// <summary>
/// The bot killed with SIGKILL while reps credit customers at full speed: every credit acknowledged before the kill is
/// in the ledger, every rep's balance is the sum of its applied credits, and once the lines the crash left reserved are
/// settled, every customer's history holds exactly the applied credits the ledger holds.
/// </summary>
public sealed partial class CreditCrashTests : IDisposable
{
    private static readonly Currency Usd = Currency.Of("USD");
    private const int Reps = 6;
    private const int Customers = 40;
    private readonly string dataDir = Directory.CreateTempSubdirectory("empowerbot-crash-").FullName;

    private static string Aad(int rep) => $"00000000-0000-0000-0000-0000000009{rep:D2}";

    [GeneratedRegex(@"Applied \$1\.00.*?Ref (C-[0-9A-Z]{4})", RegexOptions.Singleline)]
    private static partial Regex Receipt();

    [Fact]
    public async Task Killed_while_crediting_every_acknowledged_credit_is_in_the_ledger_and_the_books_and_histories_agree()
    {
        var database = Path.Combine(dataDir, "bot.db");
        // SQLite, or with EMPOWERBOT_TEST_STORAGE=AzureTables tables of their own on the run's Azurite.
        var storage = TestStorage.ForNewHost(database).Select(s => (s.Key.Replace(":", "__"), s.Value!)).ToArray();
        var acknowledged = new ConcurrentBag<(int Rep, string Ref)>();
        await using (var bot = await BotProcess.StartAsync(database, storage))
        {
            var sent = 0;
            using var killed = new CancellationTokenSource();
            var reps = Enumerable.Range(0, Reps).Select(rep => Task.Run(async () =>
            {
                while (!killed.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref sent);
                    var reply = await bot.ExchangeAsync(Activities.Message($"credit $1 to CRASH-{n % Customers} for late delivery",
                        user: $"crash-rep-{rep}", name: $"Crash Rep {rep}", aad: Aad(rep)));
                    if (reply is not null && Receipt().Match(reply) is { Success: true } receipt) acknowledged.Add((rep, receipt.Groups[1].Value));
                }
            })).ToList();
            await Eventually.UntilAsync(() => acknowledged.Count >= 40, "forty credits to be acknowledged");
            bot.Kill(); // mid-flight: several credits are between their reservation, their ledger batch and their reply
            await killed.CancelAsync();
            await Task.WhenAll(reps);
        }

        // The next process opens the same store (on SQLite, the same file: it recovers its WAL) and takes credits again.
        await using (var again = await BotProcess.StartAsync(database, storage))
        {
            var reply = await again.ExchangeAsync(Activities.Message("credit $1 to CRASH-999 for late delivery",
                user: "crash-rep-0", name: "Crash Rep 0", aad: Aad(0)));
            Assert.True(reply is not null && Receipt().IsMatch(reply), $"after the restart: {reply}\n{again.Output}");
        }

        // Read as a rep would be minutes later: the reservations the kill left are settled from the ledger on the way.
        var now = DateTimeOffset.UtcNow;
        using var reader = new BotHost(new() { ["Storage:SqlitePath"] = database, ["Outbox:Enabled"] = "false" },
            new FakeTimeProvider(now + CustomerIndex.CommitGrace + TimeSpan.FromMinutes(1)));
        var store = reader.Store;
        var period = Period.Containing(now, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var applied = new List<Credit>();
        for (var rep = 0; rep < Reps; rep++)
        {
            var rows = await store.QueryAsync(Tables.Budgets, LedgerRows.Partition(Activities.Tenant, "aad:" + Aad(rep), period), null, null, default).ToListAsync(default);
            var credits = rows.Where(r => r.RowKey.StartsWith(LedgerRows.CreditPrefix)).Select(r => LedgerRows.ReadCredit(r, Usd)).ToList();
            foreach (var (_, reference) in acknowledged.Where(a => a.Rep == rep))
                Assert.Contains(credits, c => c.Ref == reference && c.Status == CreditStatus.Applied);
            var spent = LedgerRows.ReadBalance(rows.SingleOrDefault(r => r.RowKey == LedgerRows.BalanceRow), Usd).Spent;
            Assert.Equal(credits.Where(c => c.Status == CreditStatus.Applied).Sum(c => c.Amount.Minor), spent.Minor);
            applied.AddRange(credits.Where(c => c.Status == CreditStatus.Applied));
        }
        Assert.True(applied.Count >= acknowledged.Count);

        var customers = reader.Services.GetRequiredService<CustomerIndex>();
        foreach (var customer in Enumerable.Range(0, Customers).Select(i => $"CRASH-{i}"))
        {
            await customers.ReadAsync(Activities.Tenant, customer, now - TimeSpan.FromDays(1), default);
            var lines = await store.QueryAsync(Tables.Customers, CustomerIndex.Partition(Activities.Tenant, customer), "credit|", "credit}", default).ToListAsync(default);
            var standing = lines.Where(r => CustomerIndex.IsStanding(r.GetString("status"))).Select(r => r.RowKey.Split('|')[2]).Order().ToList();
            Assert.Equal(applied.Where(c => c.Customer == customer).Select(c => c.Uid).Order().ToList(), standing);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
