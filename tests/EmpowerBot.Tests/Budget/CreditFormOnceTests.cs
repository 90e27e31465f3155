using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Budget;

/// <summary>Invariant 7 for the credit form: the card carries its own key, so however often it is submitted it credits once.</summary>
public sealed class CreditFormOnceTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    /// <summary>The op key bound into the form's "Apply credit" button when the form was sent.</summary>
    private async Task<string> FormKeyAsync()
    {
        var replies = await bot.ExchangeAsync(Activities.Message("credit $10 for late delivery"));
        var card = Assert.Single(replies).Card()!.Value;
        var data = card.GetProperty("actions")[0].GetProperty("data");
        Assert.Equal("credit-form", data.GetProperty("command").GetString());
        var op = data.GetProperty("op").GetString();
        Assert.False(string.IsNullOrEmpty(op));
        return op!;
    }

    private static Dictionary<string, object?> Submission(string op, string? id = null)
    {
        var submit = Activities.Message("", id: id);
        submit.Remove("text");
        submit["value"] = new { command = "credit-form", op, amount = "10.00", customer = "acme-4", reason = "Late delivery" };
        return submit;
    }

    private async Task<List<TableEntity>> CreditRowsAsync() =>
        (await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11"))
            .Where(r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal)).ToList();

    private static string Ref(string text) => System.Text.RegularExpressions.Regex.Match(text, @"C-[0-9A-Z]{4}").Value;

    [Fact]
    public async Task Apply_credit_clicked_twice_applies_one_credit_and_both_answers_carry_the_same_ref()
    {
        var op = await FormKeyAsync();

        var first = (await bot.ExchangeAsync(Submission(op))).Everything();
        var second = (await bot.ExchangeAsync(Submission(op))).Everything();

        Assert.Contains("Applied $10.00 to ACME-4", first);
        Assert.Equal(Ref(first), Ref(second));
        Assert.Single(await CreditRowsAsync());
        Assert.Contains("$190.00", (await bot.ExchangeAsync(Activities.Message("budget"))).Everything());
    }

    [Fact]
    public async Task The_same_form_submitted_from_two_devices_at_once_applies_one_credit()
    {
        var op = await FormKeyAsync();

        var answers = await Task.WhenAll(bot.ExchangeAsync(Submission(op)), bot.ExchangeAsync(Submission(op)));

        Assert.Single(await CreditRowsAsync());
        Assert.Equal(Ref(answers[0].Everything()), Ref(answers[1].Everything()));
    }

    [Fact]
    public async Task A_redelivered_submission_applies_once()
    {
        var op = await FormKeyAsync();

        await bot.ExchangeAsync(Submission(op, id: "submit-1"));
        await bot.ExchangeAsync(Submission(op, id: "submit-1"));

        Assert.Single(await CreditRowsAsync());
    }

    [Fact]
    public async Task Two_forms_are_two_credits()
    {
        await bot.ExchangeAsync(Submission(await FormKeyAsync()));
        await bot.ExchangeAsync(Submission(await FormKeyAsync()));

        Assert.Equal(2, (await CreditRowsAsync()).Count);
    }
}
