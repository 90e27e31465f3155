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
    private const string Customer = "NEW-7001";

    private static string CustomersPartition => $"{Activities.Tenant}|{Customer}";

    /// <summary>Ten different reps (none on the roster: each joins the demo team) credit the same customer $5 at once.</summary>
    internal static Task<string[]> TenRepsAtOnceAsync(params BotHost[] hosts) =>
        Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
            (await hosts[i % hosts.Length].ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery",
                user: $"rep-{i}", name: $"Rep {i}", aad: $"00000000-0000-0000-0000-{i:D12}"))).Everything()));

    internal static void AssertAllowanceApplied(string[] replies)
    {
        Assert.Equal(2, replies.Count(r => r.Contains("Applied $5.00")));
        Assert.Equal(8, replies.Count(r => r.Contains("needs Megan's approval")));
    }

    private static Task<string> CreditOnAsync(BotHost host, int rep) =>
        host.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery",
            user: $"rep-{rep}", name: $"Rep {rep}", aad: $"00000000-0000-0000-0000-{rep:D12}")).ContinueWith(t => t.Result.Everything());

    /// <summary>
    /// Reps 1 and 2 use the customer's allowance of two; then rep 1 undoes theirs on one instance while four more reps
    /// credit the customer on the other. The place the undo gives back goes to one of them at most, and is not lost.
    /// </summary>
    internal static async Task UndoRacingCreditsAsync(BotHost first, BotHost second)
    {
        var receipt = await CreditOnAsync(first, 1);
        Assert.Contains("Applied $5.00", await CreditOnAsync(second, 2));
        var undo = first.ExchangeAsync(Activities.Message("undo C-" + receipt.Split("Ref C-")[1][..4],
            user: "rep-1", name: "Rep 1", aad: "00000000-0000-0000-0000-000000000001"));
        var replies = await Task.WhenAll(Enumerable.Range(3, 4).Select(rep => CreditOnAsync(second, rep)));
        Assert.Contains("undone", (await undo).Everything(), StringComparison.OrdinalIgnoreCase);

        var applied = replies.Count(r => r.Contains("Applied $5.00"));
        Assert.InRange(applied, 0, 1);
        Assert.Equal(4 - applied, replies.Count(r => r.Contains("needs Megan's approval")));
        // Whatever the order: the customer's history holds rep 2's credit and the winner's (if any) standing, rep 1's
        // voided, and a further credit fits exactly when the place was left free.
        first.Clock.Advance(CustomerIndex.CommitGrace + TimeSpan.FromMinutes(1));
        var next = await CreditOnAsync(first, 7);
        Assert.Contains(applied == 0 ? "Applied $5.00" : "needs Megan's approval", next);
        var lines = (await first.RowsAsync(Tables.Customers, CustomersPartition)).Where(r => r.RowKey.StartsWith("credit|")).ToList();
        Assert.Single(lines, r => r.GetString("status") == "Voided");
        Assert.Equal(2, lines.Count(r => CustomerIndex.IsStanding(r.GetString("status")) && !r.GetBool("exception")));
    }

    [Fact]
    public async Task An_undo_on_one_instance_racing_four_credits_on_another_gives_its_place_to_one_of_them_at_most()
    {
        // Two instances on one SQLite file (or, in the Azure Table Storage pass, one table set on Azurite).
        var dir = Directory.CreateTempSubdirectory("empowerbot-undo-race-");
        try
        {
            var path = Path.Combine(dir.FullName, "bot.db");
            Dictionary<string, string?> Shared() => TestStorage.UsesAzureTables ? TestStorage.ForNewHost(path) : new() { ["Storage:SqlitePath"] = path };
            using var first = new BotHost(Shared());
            using var second = new BotHost(Shared(), first.Clock);
            await UndoRacingCreditsAsync(first, second);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
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
        Assert.Contains("Applied $5.00", (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery",
            user: "rep-2", name: "Rep 2", aad: "00000000-0000-0000-0000-000000000002"))).Everything());
        // Both count: the demo team's third credit to one customer in 30 days goes to a manager.
        Assert.Contains("needs Megan's approval", (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery",
            user: "rep-3", name: "Rep 3", aad: "00000000-0000-0000-0000-000000000003"))).Everything());
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
            Assert.Contains("Applied $5.00", (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery",
                user: $"rep-{i}", name: $"Rep {i}", aad: $"00000000-0000-0000-0000-{i:D12}"))).Everything());
        }
        Assert.DoesNotContain(await bot.RowsAsync(Tables.Customers, CustomersPartition), r => r.RowKey == left.RowKey);
    }

    [Fact]
    public async Task An_undone_credit_gives_its_customer_s_place_back_even_when_the_history_write_after_the_undo_is_lost()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        Task<string> CreditAsync(int rep) => CreditOnAsync(bot, rep);
        var receipt = await CreditAsync(1);
        Assert.Contains("Applied $5.00", await CreditAsync(2));

        // The undo's batch commits, then the store goes away before the history line is marked voided.
        watch.Fault = (Tables.Budgets, Tables.Customers);
        var undone = (await bot.ExchangeAsync(Activities.Message("undo C-" + receipt.Split("Ref C-")[1][..4],
            user: "rep-1", name: "Rep 1", aad: "00000000-0000-0000-0000-000000000001"))).Everything();
        Assert.Contains("undone", undone, StringComparison.OrdinalIgnoreCase);
        watch.Fault = null;

        // Past the grace the next reader settles the line from the ledger: voided, so the customer has one credit
        // standing and a third rep's credit fits the allowance of two.
        bot.Clock.Advance(CustomerIndex.CommitGrace);
        Assert.Contains("Applied $5.00", await CreditAsync(3));
        var lines = (await bot.RowsAsync(Tables.Customers, CustomersPartition)).Where(r => r.RowKey.StartsWith("credit|")).ToList();
        Assert.Single(lines, r => r.GetString("status") == "Voided");
        Assert.Equal(3, lines.Count);
        Assert.Contains("needs Megan's approval", await CreditAsync(4));
    }

    [Fact]
    public async Task A_reader_between_an_undo_s_reopening_and_its_batch_does_not_settle_the_line_back_to_applied()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        Task<string> CreditAsync(int rep) => CreditOnAsync(bot, rep);
        var receipt = await CreditAsync(1);
        Assert.Contains("Applied $5.00", await CreditAsync(2));
        // Long enough after the credits that their lines are past the grace a reservation gets.
        bot.Clock.Advance(CustomerIndex.CommitGrace + TimeSpan.FromMinutes(1));

        // Just before the undo's batch another turn reads the customer's history (the line is reopened by now), and
        // after the batch the store goes away before the line is marked voided.
        var customers = bot.Services.GetRequiredService<CustomerIndex>();
        int? countedMeanwhile = null;
        watch.BeforeSubmit = async (table, batch) =>
        {
            if (table == Tables.Budgets && countedMeanwhile is null && batch.Any(op => op.Entity.GetString("status") == "Voided"))
                countedMeanwhile = await customers.CountSinceAsync(Activities.Tenant, Customer, bot.Clock.GetUtcNow() - TimeSpan.FromDays(30), default);
        };
        watch.Fault = (Tables.Budgets, Tables.Customers);
        var undone = (await bot.ExchangeAsync(Activities.Message("undo C-" + receipt.Split("Ref C-")[1][..4],
            user: "rep-1", name: "Rep 1", aad: "00000000-0000-0000-0000-000000000001"))).Everything();
        Assert.Contains("undone", undone, StringComparison.OrdinalIgnoreCase);
        watch.Fault = null;
        watch.BeforeSubmit = null;
        // Meanwhile the reopened line counted, as the credit still stood.
        Assert.Equal(2, countedMeanwhile);

        // The reader left the line reserved rather than settling it from a ledger about to change; past the grace
        // from the reopening, the next reader settles it as the ledger now has it: voided. A third credit fits.
        bot.Clock.Advance(CustomerIndex.CommitGrace);
        Assert.Contains("Applied $5.00", await CreditAsync(3));
        var lines = (await bot.RowsAsync(Tables.Customers, CustomersPartition)).Where(r => r.RowKey.StartsWith("credit|")).ToList();
        Assert.Single(lines, r => r.GetString("status") == "Voided");
        Assert.Contains("needs Megan's approval", await CreditAsync(4));
    }

    [Fact]
    public async Task An_undo_that_comes_before_the_credit_s_history_completion_stays_the_last_word()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        watch.HoldCompletionsTo = Tables.Customers;
        var receipt = (await bot.ExchangeAsync(Activities.Message($"credit $5 to {Customer} for late delivery"))).Everything();
        Assert.Contains("undone", (await bot.ExchangeAsync(Activities.Message("undo C-" + receipt.Split("Ref C-")[1][..4]))).Everything(),
            StringComparison.OrdinalIgnoreCase);

        // The completion, held until now, finds the line changed since its reservation and leaves it.
        await Eventually.UntilAsync(() => Task.FromResult(watch.Held == 1), "the completion to be on its way");
        int Singles() => watch.Calls.Count(c => c is { Table: Tables.Customers, What: "batch of 1" });
        var before = Singles();
        watch.Release();
        await Eventually.UntilAsync(() => Task.FromResult(Singles() == before + 1), "the completion to have been tried");
        var line = Assert.Single(await bot.RowsAsync(Tables.Customers, CustomersPartition), r => r.RowKey.StartsWith("credit|"));
        Assert.Equal("Voided", line.GetString("status"));
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

    [Fact]
    public Task An_undo_on_one_instance_racing_four_credits_on_another_gives_its_place_to_one_of_them_at_most() =>
        azurite.OnTwoHostsAsync(RepeatCustomerTests.UndoRacingCreditsAsync);
}
