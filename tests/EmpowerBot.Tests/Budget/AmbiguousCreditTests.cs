using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Budget;

/// <summary>A message naming two amounts, two customers or two reasons is a question: the prefilled form asks which.</summary>
public sealed class AmbiguousCreditTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private Task<List<TableEntity>> LedgerRowsAsync() =>
        bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");

    [Theory]
    [InlineData("credit $5 and $90 to ACME-7126 for late delivery", "I found more than one amount ($5, $90)")]
    [InlineData("credit $5 to ACME-1 and ACME-2 for late delivery", "I found more than one customer (ACME-1, ACME-2)")]
    [InlineData("credit $5 to ACME-1 for late delivery and a damaged item", "This could be a credit for Late delivery or for Damaged item")]
    public async Task An_ambiguous_credit_asks_which_with_the_form_and_applies_nothing(string text, string question)
    {
        var replies = await bot.ExchangeAsync(Activities.Message(text));

        var form = Assert.Single(replies);
        Assert.Contains("I need a little more to apply this credit", form.Everything());
        Assert.Contains(question, form.Everything());
        Assert.NotNull(form.Card());
        Assert.Empty(await LedgerRowsAsync());
    }

    [Theory]
    [InlineData("credit $5.00 to ACME-12 for late delivery, $5 as agreed", "Applied $5.00 to ACME-12")]
    [InlineData("credit $5 to ACME-12 for late delivery, ACME-12 called twice", "Applied $5.00 to ACME-12")]
    [InlineData("credit $25 to ACME-1042 for late delivery on order #5512", "Applied $25.00 to ACME-1042")]
    public async Task A_repeated_amount_or_customer_is_not_ambiguous(string text, string receipt)
    {
        Assert.Contains(receipt, (await bot.ExchangeAsync(Activities.Message(text))).Everything());
    }
}
