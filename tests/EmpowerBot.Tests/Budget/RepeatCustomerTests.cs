using EmpowerBot.Budget;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Budget;

/// <summary>
/// The repeat-customer rule (the demo team allows two credits per customer in 30 days, then asks a manager) holds
/// under concurrency and crashes like the budget does, and an applied credit costs three round trips.
/// </summary>
public sealed class RepeatCustomerTests
{
    internal const string Customer = "NEW-7001";

    internal static string CustomersPartition => $"{Activities.Tenant}|{Customer}";

    /// <summary>Rep number <paramref name="rep"/> (on no roster: they join the demo team) credits the customer $5; the replies' text.</summary>
    internal static Task<string> CreditAsRepAsync(BotHost host, int rep) =>
        host.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery",
            user: $"rep-{rep}", name: $"Rep {rep}", aad: $"00000000-0000-0000-0000-{rep:D12}")).ContinueWith(t => t.Result.Everything());

    /// <summary>Ten different reps credit the same customer $5 at once.</summary>
    internal static Task<string[]> TenRepsAtOnceAsync(params BotHost[] hosts) =>
        Task.WhenAll(Enumerable.Range(0, 10).Select(i => CreditAsRepAsync(hosts[i % hosts.Length], i)));

    internal static void AssertAllowanceApplied(string[] replies)
    {
        Assert.Equal(2, replies.Count(r => r.Contains("Applied $5.00")));
        Assert.Equal(8, replies.Count(r => r.Contains("needs Megan's approval")));
    }

    [Fact]
    public async Task Ten_reps_crediting_one_new_customer_at_once_apply_two_credits_and_the_rest_wait_for_approval()
    {
        using var bot = new BotHost();

        var replies = await TenRepsAtOnceAsync(bot);

        AssertAllowanceApplied(replies);
        var history = await bot.RowsAsync(Tables.Customers, CustomersPartition);
        Assert.Equal(2, history.Count(r => r.RowKey.StartsWith("credit|") && r.GetString("status") is "Applied" or "Reserved"));
    }

    [Fact]
    public async Task A_credit_committed_just_before_a_crash_is_in_its_customer_s_history_at_once_and_complete_after_recovery()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        await bot.ExchangeAsync(Activities.Message("budget"));

        // Nothing reaches the customers table once the ledger batch has committed.
        watch.Fault = (Tables.Budgets, Tables.Customers);
        var receipt = (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery"))).Everything();

        Assert.Contains("Applied $5.00", receipt);
        var entry = Assert.Single(await bot.RowsAsync(Tables.Customers, CustomersPartition), r => r.RowKey.StartsWith("credit|"));
        Assert.Contains(entry.GetString("status"), new[] { "Applied", "Reserved" });

        // Recovery: the store answers again, and the next reader of the customer's history, once the credit is past the
        // time it had to commit, settles the line from the ledger. The outbox plays no part.
        watch.Fault = null;
        Assert.DoesNotContain(await bot.OutboxRowsAsync(), r => r.GetString("kind") == CustomerFollowUp.MessageKind);
        bot.Clock.Advance(CustomerIndex.CommitGrace + TimeSpan.FromSeconds(5));
        Assert.Contains("Applied $5.00", await CreditAsRepAsync(bot, 2));
        // Both count: the demo team's third credit to one customer in 30 days goes to a manager.
        Assert.Contains("needs Megan's approval", await CreditAsRepAsync(bot, 3));
        var recorded = (await bot.RowsAsync(Tables.Customers, CustomersPartition)).Where(r => r.RowKey.StartsWith("credit|")).OrderBy(r => r.RowKey).First();
        Assert.Equal("Applied", recorded.GetString("status"));
        Assert.Equal("C-" + receipt.Split("Ref C-")[1][..4], recorded.GetString("ref"));
    }

    [Fact]
    public async Task A_place_taken_by_a_credit_that_never_committed_is_given_back_by_the_next_reader_after_the_grace()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        await bot.ExchangeAsync(Activities.Message("budget"));

        // The reservation lands, then the store goes away before the ledger batch (and before any release).
        watch.Fault = (Tables.Customers, Tables.Budgets);
        var failed = (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery"))).Everything();
        Assert.DoesNotContain("Applied $5.00", failed);
        watch.Fault = null;
        var left = Assert.Single(await bot.RowsAsync(Tables.Customers, CustomersPartition), r => r.RowKey.StartsWith("credit|"));
        Assert.Equal("Reserved", left.GetString("status"));

        // Within the grace the place still counts (the credit might yet commit); past it, the reader gives it back,
        // so two more credits fit the customer's allowance of two.
        bot.Clock.Advance(CustomerIndex.CommitGrace + TimeSpan.FromSeconds(5));
        foreach (var i in new[] { 2, 3 })
        {
            Assert.Contains("Applied $5.00", await CreditAsRepAsync(bot, i));
        }
        Assert.DoesNotContain(await bot.RowsAsync(Tables.Customers, CustomersPartition), r => r.RowKey == left.RowKey);
    }

    [Fact]
    public async Task A_follow_up_stored_by_an_earlier_version_still_settles_its_reservation()
    {
        using var bot = new BotHost();
        Assert.Contains("Applied $5.00", (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery", id: "legacy-1"))).Everything());
        TableEntity? applied = null;
        await Eventually.UntilAsync(async () => (applied = (await bot.RowsAsync(Tables.Customers, CustomersPartition))
            .SingleOrDefault(r => r.RowKey.StartsWith("credit|") && r.GetString("status") == "Applied")) is not null, "the completed line");

        // What an earlier version left after a crash: the line still reserved, without its ledger place, and a follow-up.
        var old = new Dictionary<string, object?>(applied!.Properties) { ["status"] = "Reserved" };
        old.Remove("ledger");
        old.Remove("key");
        await bot.Store.UpsertAsync(Tables.Customers, new TableEntity(applied.PartitionKey, applied.RowKey, old), CancellationToken.None);
        var parts = applied.RowKey.Split('|');
        var at = new DateTimeOffset(long.Parse(parts[1]), TimeSpan.Zero);
        var period = Period.Containing(at, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var reservation = new CustomerReservation(Activities.Tenant, applied.GetString("person")!, Customer, at, parts[2],
            LedgerRows.Partition(Activities.Tenant, applied.GetString("person")!, period), "msteams:legacy-1", "USD");
        await bot.Services.GetRequiredService<OutboxWriter>().EnqueueAsync(
            OutboxMessage.Create("customer." + parts[2], CustomerFollowUp.MessageKind, reservation, at + TimeSpan.FromSeconds(30)), CancellationToken.None);

        bot.Clock.Advance(CustomerIndex.CommitGrace);
        await Eventually.UntilAsync(async () => await bot.OutboxEmptyAsync(), "the follow-up to be delivered");
        var line = Assert.Single(await bot.RowsAsync(Tables.Customers, CustomersPartition), r => r.RowKey.StartsWith("credit|"));
        Assert.Equal("Applied", line.GetString("status"));
        Assert.Equal(applied.GetString("ref"), line.GetString("ref"));
    }

    [Fact]
    public async Task An_applied_credit_by_a_rep_seen_recently_waits_for_at_most_three_round_trips()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(new() { ["Outbox:PollInterval"] = "00:05:00" }, configureServices: s => WatchedStore.Decorate(s, watch));
        await bot.ExchangeAsync(Activities.Message("credit $5 to WARM-1 for late delivery"));
        await bot.ExchangeAsync(Activities.Message("budget"));

        // Each call takes 150 ms: calls made side by side overlap even when this busy machine starts one of them late, so
        // only calls that wait for one another count as sequential.
        watch.Latency = TimeSpan.FromMilliseconds(150);
        watch.Clear();
        // The history line's completion happens after the reply: held here, the reply still arrives.
        watch.HoldCompletionsTo = Tables.Customers;
        Assert.Contains("Applied $5.00", (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery"))).Everything());

        // The credit's own calls: its ledger, its customer's history and what it stores in the outbox (single inserts).
        var credit = watch.Calls.Where(c => c.Table is Tables.Budgets or Tables.Customers || c is { Table: Tables.Outbox, What: "batch of 1" }).ToList();
        Assert.True(WatchedStore.Watch.Sequential(credit) <= 3,
            $"{WatchedStore.Watch.Sequential(credit)} sequential calls: {string.Join(", ", credit.OrderBy(c => c.Start).Select(c => $"{c.Table} {c.What}"))}");
        // A new request reads no idempotency row (the batch finds a redelivery), and the ledger's one read is its balance.
        Assert.Equal(["get balance"], credit.Where(c => c is { Table: Tables.Budgets } && c.What.StartsWith("get ")).Select(c => c.What));

        // Then the line is completed, and nothing was written to the outbox for it.
        watch.Release();
        await Eventually.UntilAsync(async () => (await bot.RowsAsync(Tables.Customers, CustomersPartition))
            .Any(r => r.RowKey.StartsWith("credit|") && r.GetString("status") == "Applied"), "the history to show the applied credit");
        Assert.DoesNotContain(watch.Calls, c => c.Table == Tables.Outbox && c.What.StartsWith("batch"));
    }
    [Fact]
    public async Task A_slow_history_write_does_not_hold_up_the_completion_of_the_next_credits()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(new() { ["Outbox:PollInterval"] = "00:05:00" }, configureServices: s => WatchedStore.Decorate(s, watch));
        watch.HoldCompletionsTo = Tables.Customers;

        foreach (var customer in new[] { "SLOW-1", "SLOW-2", "SLOW-3" })
        {
            Assert.Contains("Applied $5.00", (await bot.ExchangeAsync(Activities.Message($"credit $5 to {customer} for late delivery"))).Everything());
        }

        // One at a time, the first held write would keep the other two queued behind it.
        await Eventually.UntilAsync(() => Task.FromResult(watch.Held == 3), "the three history lines to be written side by side");
        watch.Release();
        await Eventually.UntilAsync(async () =>
        {
            foreach (var customer in new[] { "SLOW-1", "SLOW-2", "SLOW-3" })
            {
                var lines = await bot.RowsAsync(Tables.Customers, $"{Activities.Tenant}|{customer}");
                if (!lines.Any(r => r.RowKey.StartsWith("credit|") && r.GetString("status") == "Applied")) return false;
            }
            return true;
        },
            "the three lines to be completed");
    }
}

/// <summary>The same rule with two bot instances sharing one Azure Table Storage account: only ETags keep them apart.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RepeatCustomerOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public Task Ten_reps_on_two_instances_crediting_one_new_customer_at_once_apply_two_credits() =>
        azurite.OnTwoHostsAsync(async (first, second) =>
            RepeatCustomerTests.AssertAllowanceApplied(await RepeatCustomerTests.TenRepsAtOnceAsync(first, second)));
}
