using System.Text.Json;
using EmpowerBot.Budget;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Budget;

/// <summary>A rep's credits end to end through /api/messages, with the demo team's policy from appsettings.json.</summary>
public sealed class CreditFlowTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private async Task<string> SayAsync(string text, string? id = null) => (await bot.ExchangeAsync(Activities.Message(text, id: id))).Everything();

    private Task<List<TableEntity>> LedgerRowsAsync() =>
        bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");

    [Fact]
    public async Task A_credit_within_policy_is_applied_at_once_with_a_receipt()
    {
        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");

        Assert.Contains("Applied $25.00 to ACME-1042 (late delivery). $175.00 left this month. Ref C-", receipt);
        var budget = await SayAsync("budget");
        Assert.Contains("$175.00", budget);
        Assert.Contains("ACME-1042", budget);
    }

    [Theory]
    [InlineData("refund 10 to #1042, billing error", "$10.00", "1042")]
    [InlineData("credit 25.50 ACME-1042 late-delivery", "$25.50", "ACME-1042")]
    [InlineData("give acme-7 a $15 goodwill credit", "$15.00", "ACME-7")]
    public async Task Credits_are_understood_in_any_sensible_phrasing(string text, string amount, string customer)
    {
        var receipt = await SayAsync(text);

        Assert.Contains($"Applied {amount} to {customer}", receipt);
    }

    [Theory]
    [InlineData("credit $600 to ACME-1042 for late delivery", "Hard maximum (non-negotiable)")]
    [InlineData("credit $20 to ACME-0001 for late delivery", "Customer on hold (non-negotiable)")]
    [InlineData("credit $20 to ACME-1042 for a cash refund", "Forbidden reason (non-negotiable)")]
    public async Task A_non_negotiable_rule_refuses_the_credit_with_its_reason(string text, string rule)
    {
        var reply = await SayAsync(text);

        Assert.Contains("can't apply", reply);
        Assert.Contains(rule, reply);
        Assert.Contains("$200.00", await SayAsync("budget"));
    }

    [Fact]
    public async Task A_true_exception_is_recorded_as_waiting_for_approval()
    {
        var reply = await SayAsync("credit $150 to ACME-1042 for late delivery");

        Assert.Contains("This needs Megan's approval", reply);
        Assert.Contains("$200.00", await SayAsync("budget"));
        Assert.Contains("Waiting for approval", await SayAsync("history"));
    }

    [Fact]
    public async Task A_third_credit_to_the_same_customer_is_an_exception()
    {
        await SayAsync("credit $5 to ACME-9 for late delivery");
        await SayAsync("credit $5 to ACME-9 for damaged item");

        Assert.Contains("This needs Megan's approval", await SayAsync("credit $5 to ACME-9 for billing error"));
    }

    [Fact]
    public async Task Missing_parts_bring_a_prefilled_form_and_submitting_it_applies_the_credit()
    {
        var replies = await bot.ExchangeAsync(Activities.Message("credit $25 for late delivery"));
        var form = Assert.Single(replies).Card()!.Value.GetRawText();
        Assert.Contains("customer", form);
        Assert.Contains("\"25.00\"", form);

        var submit = Activities.Message("");
        submit.Remove("text");
        submit["value"] = new { command = "credit-form", amount = "25.00", customer = "acme-1042", reason = "Late delivery" };
        var receipt = (await bot.ExchangeAsync(submit)).Everything();

        Assert.Contains("Applied $25.00 to ACME-1042", receipt);
    }

    [Theory]
    [InlineData("credit $0 to ACME-1042 for late delivery", "more than zero")]
    [InlineData("credit -5 to ACME-1042 for late delivery", "more than zero")]
    [InlineData("credit NaN to ACME-1042 for late delivery", "not an amount")]
    [InlineData("credit 1e309 to ACME-1042 for late delivery", "not an amount")]
    [InlineData("credit 25 1042 late delivery", "can't tell which")]
    [InlineData("credit $12.345 to ACME-1042 for late delivery", "decimals")]
    [InlineData("credit $25 to ACME-1042 for weather", "not one of the team's credit reasons")]
    [InlineData("credit $25 for late delivery", "customer")]
    public async Task Bad_input_gets_a_clear_message_and_writes_nothing(string text, string named)
    {
        var reply = await SayAsync(text);

        Assert.Contains("I need a little more", reply);
        Assert.Contains(named, reply);
        Assert.Empty(await LedgerRowsAsync());
    }

    [Fact]
    public async Task Ten_kilobytes_of_text_is_refused_without_writing()
    {
        var reply = await SayAsync("credit " + new string('x', 10 * 1024));

        Assert.Contains("too long", reply);
        Assert.Empty(await LedgerRowsAsync());
    }

    [Fact]
    public async Task Undo_within_the_window_restores_the_budget_and_keeps_the_credit_as_undone()
    {
        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");
        var creditRef = "C-" + receipt.Split("Ref C-")[1][..4];

        Assert.Contains("$200.00 left", await SayAsync("undo " + creditRef));
        Assert.Contains("Undone", await SayAsync("history"));
        Assert.Contains("already undone", await SayAsync("undo " + creditRef));
    }

    [Fact]
    public async Task Undo_after_the_window_is_refused()
    {
        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");
        var creditRef = "C-" + receipt.Split("Ref C-")[1][..4];
        bot.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.Contains("can no longer be undone", await SayAsync("undo " + creditRef));
        Assert.Contains("$175.00", await SayAsync("budget"));
    }

    [Fact]
    public async Task Nobody_can_undo_someone_else_s_credit()
    {
        var receipt = await SayAsync("credit $25 to ACME-1042 for late delivery");
        var creditRef = "C-" + receipt.Split("Ref C-")[1][..4];

        var megan = (await bot.ExchangeAsync(Activities.Message("undo " + creditRef, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad))).Everything();

        Assert.Contains("can't find", megan);
        Assert.Contains("$175.00", await SayAsync("budget"));
    }

    [Fact]
    public async Task Sixty_four_concurrent_credits_through_the_endpoint_never_overspend()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            bot.ExchangeAsync(Activities.Message($"credit $7 to CUST-{i} for late delivery"))));

        var rows = await LedgerRowsAsync();
        var balance = rows.Single(r => r.RowKey == "balance").GetInt64("spent");
        var applied = rows.Where(r => r.RowKey.StartsWith("credit|") && r.GetString("status") == "Applied").Sum(r => r.GetInt64("amount"));
        Assert.True(balance <= 200_00, $"spent {balance}");
        Assert.Equal(balance, applied);
        Assert.Equal(28 * 7_00, balance);
        Assert.Equal(64 - 28, replies.Count(r => r.Everything().Contains("This needs Megan's approval")));
    }

    [Fact]
    public async Task A_credit_delivered_again_later_and_then_five_times_at_once_leaves_one_line_in_its_customers_history()
    {
        var message = () => Activities.Message("credit $25 to ACME-2077 for late delivery", id: "redelivered-2");
        var first = (await bot.ExchangeAsync(message())).Everything();
        var again = await Task.WhenAll(new[] { bot.ExchangeAsync(message()) }.Concat(Enumerable.Range(0, 5).Select(_ => bot.ExchangeAsync(message()))));

        Assert.All(again, r => Assert.Equal(first, r.Everything()));
        // A copy takes a place in the history before its batch finds the first one, and gives it back.
        await Eventually.UntilAsync(async () =>
        {
            var lines = (await bot.RowsAsync(Tables.Customers, $"{Activities.Tenant}|ACME-2077")).Where(r => r.RowKey.StartsWith("credit|")).ToList();
            return lines.Count == 1 && lines[0].GetString("status") == "Applied";
        }, "one applied line in the customer's history");
        Assert.Equal(25_00, (await LedgerRowsAsync()).Single(r => r.RowKey == "balance").GetInt64("spent"));
    }

    [Fact]
    public async Task The_same_activity_delivered_ten_times_concurrently_applies_one_credit_with_identical_receipts()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            bot.ExchangeAsync(Activities.Message("credit $25 to ACME-1042 for late delivery", id: "redelivered-1"))));

        Assert.Single(replies.Select(r => r.Everything()).Distinct());
        var rows = await LedgerRowsAsync();
        Assert.Single(rows, r => r.RowKey.StartsWith("credit|"));
        Assert.Equal(25_00, rows.Single(r => r.RowKey == "balance").GetInt64("spent"));
    }
}
