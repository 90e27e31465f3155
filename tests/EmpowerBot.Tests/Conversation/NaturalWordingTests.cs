using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Conversation;

/// <summary>Whole-bot answers to messages written the way reps talk, not the way the help card spells them.</summary>
public sealed class NaturalWordingTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private Task<List<TableEntity>> LedgerRowsAsync() =>
        bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");

    [Theory]
    [InlineData("$8 credit for ACME-12, late delivery", "Applied $8.00 to ACME-12")]
    [InlineData("ACME-31 gets $10 for the late order", "Applied $10.00 to ACME-31")]
    [InlineData("I'd like to credit ACME-9 $14 for a damaged box", "Applied $14.00 to ACME-9")]
    [InlineData("please refund $20 to ACME-4 for late delivery", "Applied $20.00 to ACME-4")]
    [InlineData("crdit $5 to ACME-1 for late delivery", "Applied $5.00 to ACME-1")]
    [InlineData("$20 to ACME-19, late delivery", "Applied $20.00 to ACME-19")]
    [InlineData("ACME-204 - $9 - late delivery", "Applied $9.00 to ACME-204")]
    [InlineData("hit ACME-77 with a $9 credit, package was late", "Applied $9.00 to ACME-77")]
    [InlineData("crediting ACME-61 $8 for late delivery", "Applied $8.00 to ACME-61")]
    [InlineData("let's do $11 for ACME-113, late delivery", "Applied $11.00 to ACME-113")]
    public async Task A_credit_written_in_any_order_is_applied(string text, string receipt)
    {
        Assert.Contains(receipt, (await bot.ExchangeAsync(Activities.Message(text))).Everything());
    }

    [Theory]
    [InlineData("ACME-5 called about a $20 invoice")]
    [InlineData("the customer finally calmed down")]
    [InlineData("don't credit ACME-230 $20 yet")]
    [InlineData("we never refund ACME-238 $100")]
    [InlineData("not sure if ACME-236 should get $20")]
    [InlineData("ACME-234 wants $30 back")]
    [InlineData("ACME-9 $40 invoice is wrong")]
    [InlineData("$20 on ACME-5 was charged twice")]
    [InlineData("the $50 refund on ACME-631 bounced")]
    [InlineData("my $20 credit to ACME-5 never showed up")]
    [InlineData("that 15 dollars refund to ACME-7 is stuck")]
    public async Task A_message_that_only_mentions_money_moves_none(string text)
    {
        var replies = await bot.ExchangeAsync(Activities.Message(text));

        Assert.Contains("didn't catch that", replies.Everything());
        Assert.Empty(await LedgerRowsAsync());
    }

    [Theory]
    [InlineData("can I give ACME-9 $40 for a missing item?")]
    [InlineData("give ACME-9 $40?")]
    public async Task A_question_about_a_credit_is_answered_and_moves_none(string text)
    {
        var replies = await bot.ExchangeAsync(Activities.Message(text));

        Assert.Contains("Nothing has been applied", replies.Everything());
        Assert.Empty(await LedgerRowsAsync());
    }

    [Fact]
    public async Task Thanks_gets_a_short_answer_with_one_hint_not_the_help_card()
    {
        var reply = Assert.Single(await bot.ExchangeAsync(Activities.Message("cheers")));

        Assert.Null(reply.Card());
        Assert.Contains("**budget**", reply.Text());
    }

    [Fact]
    public async Task A_misspelt_command_is_understood()
    {
        var reply = Assert.Single(await bot.ExchangeAsync(Activities.Message("bugdet")));

        Assert.Contains("left of", reply.Everything());
    }

    [Fact]
    public async Task The_fallback_suggests_the_closest_commands_and_shows_a_credit_example()
    {
        var reply = Assert.Single(await bot.ExchangeAsync(Activities.Message("histry of stuff")));

        Assert.Contains("Did you mean **history**", reply.Text());
        Assert.Contains("credit $10 to ACME-1042 for late delivery", reply.Text());
    }
}
