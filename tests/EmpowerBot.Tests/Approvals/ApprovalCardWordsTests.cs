using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>What the manager reads on the approval card: the rep's own words, the rule in plain words about the rep, when.</summary>
public sealed class ApprovalCardWordsTests : AlexAndMeganTests
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await bot.PostAsync(connector.AsMegan("hello"));
    }

    private async Task<string> AskAsync(string text, string customer)
    {
        var reply = (await bot.ExchangeAsync(connector.AsAlex(text))).Everything();
        Assert.Contains("This needs Megan's approval", reply);
        return (await CardToMeganAsync(connector, customer)).GetRawText();
    }

    private async Task ApplyAsync(string text) =>
        Assert.Contains("applied", (await bot.ExchangeAsync(connector.AsAlex(text))).Everything(), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task The_reps_reason_in_their_own_words_reaches_the_card_with_the_limit_and_the_time_it_was_asked()
    {
        var card = await AskAsync("credit $150 to ACME-1042, order arrived 3 weeks late", "ACME-1042");

        Assert.Contains("order arrived 3 weeks late", card);
        Assert.Contains("over the $100.00 single-credit limit", card);
        Assert.Contains("Nov 22, 10:00 AM America/New_York", card); // 15:00 UTC in the demo team's New York, the zone named
        Assert.Contains("Alex's budget", card);
        Assert.DoesNotContain("Rep's budget", card);
    }

    [Fact]
    public async Task A_repeat_customer_card_counts_the_customers_credits_and_an_over_budget_card_speaks_of_the_rep()
    {
        await ApplyAsync("credit $10 to ACME-7 for late delivery");
        await ApplyAsync("credit $12 to ACME-7 for damaged item");
        var repeat = await AskAsync("credit $15 to ACME-7 for missing item", "ACME-7");
        await ApplyAsync("credit $90 to ACME-1 for late delivery");
        await ApplyAsync("credit $68 to ACME-2 for late delivery");
        var overBudget = await AskAsync("credit $50 to ACME-3 for late delivery", "ACME-3");

        Assert.Contains("ACME-7 had 2 credits in 30 days", repeat);
        Assert.Contains("$10.00", repeat);
        Assert.Contains("$12.00", repeat);
        Assert.Contains("over Alex's remaining budget: $20.00 left", overBudget);
        Assert.DoesNotContain("you have left", overBudget);
        Assert.DoesNotContain("Alex: ", overBudget); // "late delivery" only names the reason: no words to quote
    }

    [Fact]
    public async Task A_reason_cap_card_names_the_team_the_cap_and_the_reason()
    {
        var card = await AskAsync("credit $30 to ACME-9 for goodwill", "ACME-9");

        Assert.Contains("over Frontline Demo's $20.00 cap for goodwill", card);
    }
}
