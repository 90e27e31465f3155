using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;

namespace EmpowerBot.Tests.Budget;

/// <summary>A question about a credit gets the decision the policy would take, and moves no money until its button is clicked.</summary>
public sealed class CreditQuestionTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private async Task<JsonElement> AskAsync(string text) => Assert.Single(await bot.ExchangeAsync(Activities.Message(text)));

    private async Task<string> SayAsync(string text) => (await bot.ExchangeAsync(Activities.Message(text))).Everything();

    /// <summary>What the question card's Apply / Ask button submits when clicked.</summary>
    private static Dictionary<string, object?> Click(JsonElement answer, string? id = null)
    {
        var action = answer.Card()!.Value.GetProperty("actions")[0];
        Assert.Equal("credit-form", action.GetProperty("data").GetProperty("command").GetString());
        var submit = Activities.Message("", id: id);
        submit.Remove("text");
        submit["value"] = JsonSerializer.Deserialize<Dictionary<string, string>>(action.GetProperty("data").GetRawText());
        return submit;
    }

    private static string[] ButtonTitles(JsonElement answer) =>
        answer.Card()!.Value.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("title").GetString()!).ToArray();

    private async Task<List<TableEntity>> CreditRowsAsync() =>
        (await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11"))
            .Where(r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal)).ToList();

    private Task<List<TableEntity>> ApprovalRowsAsync() => bot.RowsAsync(Tables.Approvals, Activities.Tenant);

    private async Task<int> OutboxCountAsync() => (await bot.OutboxRowsAsync()).Count;

    [Theory]
    [InlineData("can I give ACME-9 $40 for a missing item?", "Yes, you can give this credit", "Apply")]
    [InlineData("give ACME-9 $40?", "Yes, you can give this credit", "Apply")]
    [InlineData("credit $25 to ACME-1 for late delivery?", "Yes, you can give this credit", "Apply")]
    [InlineData("could I refund $15 to ACME-2 for a late order?", "Yes, you can give this credit", "Apply")]
    [InlineData("am I allowed to credit ACME-3 $150 for late delivery?", "would need Megan's approval", "Ask Megan")]
    [InlineData("is $120 ok for ACME-1?", "would need Megan's approval", "Ask Megan")]
    [InlineData("would $600 be within policy for ACME-8, damaged box?", "This credit isn't allowed", null)]
    [InlineData("can I give ACME-0001 $10 for late delivery?", "This credit isn't allowed", null)]
    public async Task A_question_gets_the_decision_and_applies_reserves_and_asks_nothing(string question, string decision, string? button)
    {
        var outbox = await OutboxCountAsync();

        var answer = await AskAsync(question);

        Assert.Contains(decision, answer.Everything());
        Assert.Contains("Nothing has been applied", answer.Everything());
        var titles = ButtonTitles(answer);
        if (button is null) Assert.Equal(["My limits"], titles);
        else Assert.Equal([button, "My limits"], titles);
        Assert.Empty(await CreditRowsAsync());
        Assert.Empty(await ApprovalRowsAsync());
        Assert.Equal(outbox, await OutboxCountAsync());
        Assert.Empty(await bot.RowsAsync(Tables.Customers, $"{Activities.Tenant}|ACME-9"));
        Assert.Contains("$200.00", await SayAsync("budget"));
    }

    [Fact]
    public async Task A_refusal_says_which_rule_and_what_to_do_instead()
    {
        var answer = (await AskAsync("would $600 be within policy for ACME-8, damaged box?")).Everything();

        Assert.Contains("Credits above $500.00 are never allowed", answer);
        Assert.Contains("Hard maximum (non-negotiable)", answer);
        Assert.Contains("Escalate to your team lead", answer);
    }

    [Fact]
    public async Task An_allowed_question_says_what_would_be_left()
    {
        await SayAsync("credit $30 to ACME-5 for late delivery");

        Assert.Contains("you will have $130.00 left this month", (await AskAsync("can I give ACME-9 $40 for a missing item?")).Everything());
    }

    [Theory]
    [InlineData("would $35 be within policy?", "customer")]
    [InlineData("can I give ACME-9 for a missing item?", "amount")]
    public async Task A_question_missing_a_part_says_what_is_missing_and_applies_nothing(string question, string missing)
    {
        var answer = await AskAsync(question);

        Assert.Contains("Nothing was applied", answer.Text());
        Assert.Contains($"couldn't find the {missing}", answer.Text());
        Assert.Equal("credit-form", answer.Card()!.Value.GetProperty("actions")[0].GetProperty("data").GetProperty("command").GetString());
        Assert.Empty(await CreditRowsAsync());
    }

    [Fact]
    public async Task Apply_clicked_twice_applies_one_credit_and_both_answers_are_the_same_receipt()
    {
        var answer = await AskAsync("can I give ACME-9 $40 for a missing item?");

        var first = (await bot.ExchangeAsync(Click(answer))).Everything();
        var second = (await bot.ExchangeAsync(Click(answer))).Everything();

        Assert.Contains("Applied $40.00 to ACME-9 (missing item). $160.00 left this month.", first);
        Assert.Equal(Ref(first), Ref(second));
        Assert.Single(await CreditRowsAsync());
        Assert.Contains("$160.00", await SayAsync("budget"));
    }

    [Fact]
    public async Task Apply_decides_again_at_the_click_so_budget_spent_meanwhile_makes_it_an_exception()
    {
        var answer = await AskAsync("can I give ACME-9 $90 for a missing item?");
        Assert.Contains("Yes, you can give this credit", answer.Everything());
        await SayAsync("credit $100 to ACME-20 for late delivery");
        await SayAsync("credit $20 to ACME-21 for late delivery");

        var clicked = (await bot.ExchangeAsync(Click(answer))).Everything();

        Assert.Contains("This needs Megan's approval (over your remaining budget)", clicked);
        Assert.Single(await ApprovalRowsAsync(), r => !r.RowKey.Contains('|'));
        Assert.Contains("$80.00", await SayAsync("budget"));
    }

    [Fact]
    public async Task Ask_manager_clicked_twice_creates_one_approval_request()
    {
        var answer = await AskAsync("would $150 be within policy for ACME-3, late delivery?");
        Assert.Equal(["Ask Megan", "My limits"], ButtonTitles(answer));
        Assert.Empty(await ApprovalRowsAsync());

        var first = (await bot.ExchangeAsync(Click(answer))).Everything();
        var second = (await bot.ExchangeAsync(Click(answer))).Everything();

        Assert.Contains("This needs Megan's approval (over the single-credit limit)", first);
        Assert.Equal(Ref(first), Ref(second));
        Assert.Single(await ApprovalRowsAsync(), r => !r.RowKey.Contains('|'));
        Assert.Contains("Waiting for approval", await SayAsync("history"));
    }

    [Fact]
    public async Task Apply_on_a_question_without_a_reason_brings_the_prefilled_form_and_applies_nothing()
    {
        var answer = await AskAsync("give ACME-9 $40?");
        Assert.Contains("You'll pick the reason when you click Apply", answer.Everything());

        var form = Assert.Single(await bot.ExchangeAsync(Click(answer)));

        Assert.Contains("Pick a reason", form.Everything());
        Assert.Contains("\"40.00\"", form.Card()!.Value.GetRawText());
        Assert.Empty(await CreditRowsAsync());
    }

    private static string Ref(string text) => System.Text.RegularExpressions.Regex.Match(text, @"C-[0-9A-Z]{4}").Value;
}
