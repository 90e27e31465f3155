using EmpowerBot.Budget;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Budget.RepeatCustomerTests;

namespace EmpowerBot.Tests.Budget;

/// <summary>
/// An undone credit gives its customer's place back for the repeat-customer rule (two credits per customer in 30 days
/// on the demo team), whatever comes between the undo's steps: a lost history write, a reader, a lagging completion,
/// or credits to the same customer on another instance.
/// </summary>
public sealed class RepeatCustomerUndoTests
{
    /// <summary>
    /// Reps 1 and 2 use the customer's allowance of two; then rep 1 undoes theirs on one instance while four more reps
    /// credit the customer on the other. The place the undo gives back goes to one of them at most, and is not lost.
    /// </summary>
    internal static async Task UndoRacingCreditsAsync(BotHost first, BotHost second)
    {
        var receipt = await CreditAsRepAsync(first, 1);
        Assert.Contains("Applied $5.00", await CreditAsRepAsync(second, 2));
        var undo = first.ExchangeAsync(Activities.Message("undo C-" + receipt.Split("Ref C-")[1][..4],
            user: "rep-1", name: "Rep 1", aad: "00000000-0000-0000-0000-000000000001"));
        var replies = await Task.WhenAll(Enumerable.Range(3, 4).Select(rep => CreditAsRepAsync(second, rep)));
        Assert.Contains("undone", (await undo).Everything(), StringComparison.OrdinalIgnoreCase);

        var applied = replies.Count(r => r.Contains("Applied $5.00"));
        Assert.InRange(applied, 0, 1);
        Assert.Equal(4 - applied, replies.Count(r => r.Contains("needs Megan's approval")));
        // Whatever the order: the customer's history holds rep 2's credit and the winner's (if any) standing, rep 1's
        // voided, and a further credit fits exactly when the place was left free.
        first.Clock.Advance(CustomerIndex.CommitGrace + TimeSpan.FromMinutes(1));
        var next = await CreditAsRepAsync(first, 7);
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
    public async Task An_undone_credit_gives_its_customer_s_place_back_even_when_the_history_write_after_the_undo_is_lost()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        var receipt = await CreditAsRepAsync(bot, 1);
        Assert.Contains("Applied $5.00", await CreditAsRepAsync(bot, 2));

        // The undo's batch commits, then the store goes away before the history line is marked voided.
        watch.Fault = (Tables.Budgets, Tables.Customers);
        var undone = (await bot.ExchangeAsync(Activities.Message("undo C-" + receipt.Split("Ref C-")[1][..4],
            user: "rep-1", name: "Rep 1", aad: "00000000-0000-0000-0000-000000000001"))).Everything();
        Assert.Contains("undone", undone, StringComparison.OrdinalIgnoreCase);
        watch.Fault = null;

        // Past the grace the next reader settles the line from the ledger: voided, so the customer has one credit
        // standing and a third rep's credit fits the allowance of two.
        bot.Clock.Advance(CustomerIndex.CommitGrace);
        Assert.Contains("Applied $5.00", await CreditAsRepAsync(bot, 3));
        var lines = (await bot.RowsAsync(Tables.Customers, CustomersPartition)).Where(r => r.RowKey.StartsWith("credit|")).ToList();
        Assert.Single(lines, r => r.GetString("status") == "Voided");
        Assert.Equal(3, lines.Count);
        Assert.Contains("needs Megan's approval", await CreditAsRepAsync(bot, 4));
    }

    [Fact]
    public async Task A_reader_between_an_undo_s_reopening_and_its_batch_does_not_settle_the_line_back_to_applied()
    {
        var watch = new WatchedStore.Watch();
        using var bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));
        var receipt = await CreditAsRepAsync(bot, 1);
        Assert.Contains("Applied $5.00", await CreditAsRepAsync(bot, 2));
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
        Assert.Contains("Applied $5.00", await CreditAsRepAsync(bot, 3));
        var lines = (await bot.RowsAsync(Tables.Customers, CustomersPartition)).Where(r => r.RowKey.StartsWith("credit|")).ToList();
        Assert.Single(lines, r => r.GetString("status") == "Voided");
        Assert.Contains("needs Megan's approval", await CreditAsRepAsync(bot, 4));
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
}

/// <summary>The undo racing credits with two bot instances sharing one Azure Table Storage account.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RepeatCustomerUndoOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public Task An_undo_on_one_instance_racing_four_credits_on_another_gives_its_place_to_one_of_them_at_most() =>
        azurite.OnTwoHostsAsync(RepeatCustomerUndoTests.UndoRacingCreditsAsync);
}
