using EmpowerBot.Budget;
using EmpowerBot.Hosting;
using EmpowerBot.Policy;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace EmpowerBot.Tests.Policy;

/// <summary>Forbidden reasons read for meaning: however a rep words them, wherever they stand, beside any allowed reason.</summary>
public sealed class ForbiddenReasonTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    /// <summary>The shipped policy, as appsettings.json configures it.</summary>
    private static CreditPolicy Shipped()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppRoot.Find(), AppRoot.SettingsFile)).Build();
        return new CreditPolicy(configuration.GetSection("Policy").Get<PolicyOptions>()!);
    }

    /// <summary>Whole messages, each naming a forbidden reason somewhere in its own words, and the reason it names.</summary>
    public static TheoryData<string, string> ForbiddenMessages => new()
    {
        { "credit $10 to ACME-7148 for late delivery, refund in cash", "cash refund" },
        { "give ACME-7 $15 in cash", "cash refund" },
        { "credit $10 to ACME-7 for a cash refund", "cash refund" },
        { "credit $10 to ACME-7 as a Cash-Refund", "cash refund" },
        { "refund $10 to ACME-7 for the damaged item, refund them the cash", "cash refund" },
        { "credit $10 to ACME-7 for cash refnud", "cash refund" },
        { "credit $10 to ACME-7, the customer wants cash back", "cash refund" },
        { "credit $10 to ACME-7 cashback for the late delivery", "cash refund" },
        { "credit $10 to ACME-7 paid out as cash for the outage", "cash refund" },
        { "credit $10 to ACME-7 for a gift card", "gift card" },
        { "credit $10 to ACME-7 for late delivery, send a giftcard", "gift card" },
        { "credit $10 to ACME-7 gift cards for the delay", "gift card" },
        { "credit $10 to ACME-7 for goodwill as a gift voucher", "gift card" },
        { "credit $10 to ACME-7 for the outage, card as a gift", "gift card" },
        { "credit $10 to ACME-7 for late delivery, refund in ca\u200Bsh", "cash refund" },
        { "credit $10 to ACME-7 for a gift\u00ADcard", "gift card" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenMessages))]
    public void A_forbidden_reason_is_found_however_it_is_worded(string message, string forbidden)
    {
        var policy = Shipped();
        var parsed = CreditParser.Parse(message, Usd, policy.Reasons, policy.ForbiddenReasons);

        var decision = policy.Decide(new CreditCheck(parsed.Amount!.Value, parsed.Reason, parsed.ReasonText, parsed.Customer!, Money.FromDecimal(200, Usd), 0));

        Assert.Equal(PolicyRule.ForbiddenReason, decision.Rule);
        Assert.Equal($"Credits for \"{forbidden}\" are never allowed (non-negotiable).", decision.Sentence);
    }

    [Theory]
    [InlineData("credit $10 to ACME-7 for late delivery, the customer paid cash on delivery")]
    [InlineData("credit $10 to GIFT-CARD-12 for late delivery")]
    [InlineData("credit $10 to ACME-7 for a billing error on the card")]
    [InlineData("credit $10 to ACME-7 for the gift that arrived late")]
    public void Words_near_a_forbidden_reason_are_not_one(string message)
    {
        var policy = Shipped();
        var parsed = CreditParser.Parse(message, Usd, policy.Reasons, policy.ForbiddenReasons);

        Assert.Null(policy.ForbiddenReasonIn(parsed.ReasonText));
    }

    [Theory]
    [MemberData(nameof(ForbiddenMessages))]
    [InlineData("credit $10 to ACME-7 for late delivery and a gift card", "gift card")]
    [InlineData("credit $10 to ACME-7 because it came late and damaged, so a cash refund", "cash refund")]
    public async Task Through_the_bot_a_forbidden_reason_anywhere_is_refused_with_its_rule(string message, string forbidden)
    {
        using var bot = new BotHost();

        var reply = (await bot.ExchangeAsync(Activities.Message(message))).Everything();

        Assert.Contains("Forbidden reason (non-negotiable)", reply);
        Assert.Contains($"Credits for \"{forbidden}\" are never allowed", reply);
        var rows = await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");
        var credit = Assert.Single(rows, r => r.RowKey.StartsWith("credit|"));
        Assert.Equal(("Refused", "forbidden-reason"), (credit.GetString("status"), credit.GetString("rule")));
    }
}
