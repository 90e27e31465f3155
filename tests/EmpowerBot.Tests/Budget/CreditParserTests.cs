using EmpowerBot.Budget;
using EmpowerBot.Policy;

namespace EmpowerBot.Tests.Budget;

public sealed class CreditParserTests
{
    private static readonly Currency Usd = Currency.Of("USD");

    /// <summary>The reasons of the shipped appsettings.json.</summary>
    private static readonly ReasonDefinition[] Reasons =
    [
        new("Late delivery", ["late", "delayed", "delivery delay"]),
        new("Damaged item", ["damaged", "broken"]),
        new("Billing error", ["billing", "overcharge", "charged twice", "double charge"]),
        new("Service outage", ["outage", "downtime"]),
        new("Goodwill", ["goodwill", "apology"], 20m),
        new("Missing item", ["missing", "not received"]),
    ];

    private static ParsedCredit Parse(string? text, string currency = "USD") => CreditParser.Parse(text, Currency.Of(currency), Reasons);

    [Theory]
    [InlineData("credit $25 to ACME-1042 for late delivery", 2500, "ACME-1042", "Late delivery", "late delivery")]
    [InlineData("credit 25.50 ACME-1042 late-delivery", 2550, "ACME-1042", "Late delivery", "late-delivery")]
    [InlineData("refund 10 to #1042, billing error", 1000, "1042", "Billing error", "billing error")]
    [InlineData("credit ACME-1042 $25 damaged", 2500, "ACME-1042", "Damaged item", "damaged")]
    [InlineData("give ACME-1042 a $15 goodwill credit", 1500, "ACME-1042", "Goodwill", "goodwill")]
    [InlineData("credit 25 usd to acme-1042 because the package was late", 2500, "ACME-1042", "Late delivery", "the package was late")]
    [InlineData("credit 25 dollars to ACME-1042 for a broken lamp", 2500, "ACME-1042", "Damaged item", "broken lamp")]
    [InlineData("Credit $1,250.00 to ORD-2026-0042 for service outage", 125000, "ORD-2026-0042", "Service outage", "service outage")]
    [InlineData("apply $40 credit to CUST_77 for double charge", 4000, "CUST_77", "Billing error", "double charge")]
    [InlineData("refund $12.99 to customer 1042 - item not received", 1299, "1042", "Missing item", "item not received")]
    [InlineData("credit 20 to 1042 for goodwill", 2000, "1042", "Goodwill", "goodwill")]
    [InlineData("credit $25 1042 late", 2500, "1042", "Late delivery", "late")]
    [InlineData("credit 1042 $25 late", 2500, "1042", "Late delivery", "late")]
    [InlineData("<at>EmpowerBot</at> credit $30 to ACME-1042 for outage", 3000, "ACME-1042", "Service outage", "outage")]
    [InlineData("credit $5 to acct 1042 for apology", 500, "1042", "Goodwill", "apology")]
    [InlineData("credit ACME-1042 for late delivery $25", 2500, "ACME-1042", "Late delivery", "late delivery")]
    [InlineData("credit $25 for late delivery to ACME-1042", 2500, "ACME-1042", "Late delivery", "late delivery")]
    [InlineData("Give #acme-7 $10 as an apology", 1000, "ACME-7", "Goodwill", "apology")]
    [InlineData("refund USD 30 to ACME-1042: charged twice", 3000, "ACME-1042", "Billing error", "charged twice")]
    [InlineData("credit $25 to the customer ACME-1042 for a delayed order", 2500, "ACME-1042", "Late delivery", "delayed order")]
    [InlineData("credit 25 to ACME-1042, arrived 3 days late", 2500, "ACME-1042", "Late delivery", "arrived 3 days late")]
    [InlineData("credit $7.50 to ACME-1042 for missing charger", 750, "ACME-1042", "Missing item", "missing charger")]
    [InlineData("credit 15 bucks to 1042 overcharge", 1500, "1042", "Billing error", "overcharge")]
    [InlineData("refund $10 to ACME-1042 for the downtime yesterday", 1000, "ACME-1042", "Service outage", "the downtime yesterday")]
    [InlineData("credit ACME-1042 with $25 for damaged item", 2500, "ACME-1042", "Damaged item", "damaged item")]
    [InlineData("credit for customer 1042 $25 delivery delay", 2500, "1042", "Late delivery", "delivery delay")]
    [InlineData("credit $25 to ACME-1042 for late delivery!!!", 2500, "ACME-1042", "Late delivery", "late delivery")]
    [InlineData("credit   $25\tto  ACME-1042 \n  for   late delivery", 2500, "ACME-1042", "Late delivery", "late delivery")]
    [InlineData("CREDIT $25 TO ACME-1042 FOR LATE DELIVERY", 2500, "ACME-1042", "Late delivery", "LATE DELIVERY")]
    [InlineData("credit 25 ACME-1042 delayed", 2500, "ACME-1042", "Late delivery", "delayed")]
    [InlineData("credit 0.99 to 1042 for goodwill", 99, "1042", "Goodwill", "goodwill")]
    [InlineData("credit 1042 25.00 billing", 2500, "1042", "Billing error", "billing")]
    [InlineData("credit $25 to ACME-1042 for a $30 order that never arrived", 2500, "ACME-1042", null, "$30 order that never arrived")]
    [InlineData("credit $25 to ACME-1042 for cash refund", 2500, "ACME-1042", null, "cash refund")]
    [InlineData("credit 25$ to ACME-1042 due to a billing mistake", 2500, "ACME-1042", "Billing error", "billing mistake")]
    [InlineData("credit $25 to acme-1042 for late delivery (2nd time)", 2500, "ACME-1042", "Late delivery", "late delivery (2nd time)")]
    [InlineData("credit $25 to ACME-1042 for late delivery on order ORD-2026-0042", 2500, "ACME-1042", "Late delivery", "late delivery on order ORD-2026-0042")]
    [InlineData("credit $25 ACME-1042 2nd late delivery", 2500, "ACME-1042", "Late delivery", "2nd late delivery")]
    [InlineData("credit 25 to ACME-1042 for 2 late deliveries", 2500, "ACME-1042", "Late delivery", "2 late deliveries")]
    [InlineData("credit 25 to customer no. 1042 for late", 2500, "1042", "Late delivery", "late")]
    [InlineData("credit $ 25 to # 1042 for late", 2500, "1042", "Late delivery", "late")]
    [InlineData("credit $5.00 to ACME-7 for late delivery, $5 as agreed", 500, "ACME-7", "Late delivery", "late delivery, $5 as agreed")]
    [InlineData("credit $5 to ACME-12 for late delivery, ACME-12 called twice", 500, "ACME-12", "Late delivery", "late delivery, ACME-12 called twice")]
    [InlineData("credit $5 to #acme-12 for late delivery to ACME-12", 500, "ACME-12", "Late delivery", "late delivery")]
    [InlineData("credit $25 to ACME-1042 for late delivery on order #5512", 2500, "ACME-1042", "Late delivery", "late delivery on order #5512")]
    [InlineData("credit $25 to ACME-1042 for late delivery, invoice # 88", 2500, "ACME-1042", "Late delivery", "late delivery, invoice # 88")]
    [InlineData("credit $25 for a damaged item to ACME-1042", 2500, "ACME-1042", "Damaged item", "damaged item")]
    [InlineData("credit $25 to ACME-1042 for late delivery, delivery delay again", 2500, "ACME-1042", "Late delivery", "late delivery, delivery delay again")]
    [InlineData("credit $25 to ACME-1042 for billing error, charged twice", 2500, "ACME-1042", "Billing error", "billing error, charged twice")]
    public void Realistic_phrasings_are_read(string text, long minor, string customer, string? reason, string reasonText)
    {
        var parsed = Parse(text);

        Assert.Empty(parsed.Problems);
        Assert.True(parsed.IsComplete);
        Assert.Equal(new Money(minor, Usd), parsed.Amount);
        Assert.Equal(customer, parsed.Customer);
        Assert.Equal(reason, parsed.Reason?.Name);
        Assert.Equal(reasonText, parsed.ReasonText);
    }

    [Theory]
    [InlineData("EUR", "credit €25 to ACME-1042 for late delivery", 2500)]
    [InlineData("EUR", "credit 25 euros to ACME-1042 for late delivery", 2500)]
    [InlineData("JPY", "credit ¥500 to 1042 for late delivery", 500)]
    [InlineData("GBP", "credit 12.50 GBP to 1042 for late delivery", 1250)]
    [InlineData("CAD", "credit $25 to 1042 for late delivery", 2500)]
    [InlineData("ZAR", "credit R25 to 1042 for late delivery", 2500)]
    public void Amounts_follow_the_teams_currency(string currency, string text, long minor)
    {
        var parsed = Parse(text, currency);

        Assert.Empty(parsed.Problems);
        Assert.Equal(new Money(minor, Currency.Of(currency)), parsed.Amount);
    }

    [Theory]
    [InlineData("late delivrey", "Late delivery")]
    [InlineData("damagd", "Damaged item")]
    [InlineData("biling error", "Billing error")]
    [InlineData("goodwil", "Goodwill")]
    [InlineData("the parcel was dleayed", "Late delivery")]
    [InlineData("outgae", "Service outage")]
    [InlineData("overchagred", "Billing error")]
    [InlineData("item not recieved", "Missing item")]
    [InlineData("Late-Delivery!", "Late delivery")]
    public void Small_typos_still_find_the_reason(string words, string reason)
    {
        Assert.Equal(reason, Parse($"credit $25 to ACME-1042 for {words}").Reason?.Name);
    }

    [Theory]
    [InlineData("rate change")]
    [InlineData("lot of trouble")]
    [InlineData("lots of trouble")]
    [InlineData("customer was unhappy")]
    [InlineData("lat")]
    public void Words_that_are_not_a_reason_match_none_and_are_kept(string words)
    {
        var parsed = Parse($"credit $25 to ACME-1042 for {words}");

        Assert.Null(parsed.Reason);
        Assert.Equal(words, parsed.ReasonText);
        Assert.Empty(parsed.Problems);
    }

    [Theory]
    [InlineData("credit to ACME-1042 for late delivery", "I couldn't find the amount")]
    [InlineData("credit $25 for late delivery", "I couldn't find the customer")]
    [InlineData("credit $25 to ACME-1042", "I couldn't find what the credit is for")]
    [InlineData("credit 1e309 to ACME-1042 for late delivery", "'1e309' is not an amount I can read")]
    [InlineData("credit NaN to ACME-1042 for late delivery", "'NaN' is not an amount I can read")]
    [InlineData("credit -5 to ACME-1042 for late delivery", "The amount must be more than zero")]
    [InlineData("credit -$5 to ACME-1042 for late delivery", "The amount must be more than zero")]
    [InlineData("credit $0 to ACME-1042 for late delivery", "The amount must be more than zero")]
    [InlineData("credit 0 ACME-1042 late delivery", "The amount must be more than zero")]
    [InlineData("credit 12.345 to ACME-1042 for late delivery", "USD amounts have at most 2 decimals")]
    [InlineData("credit 25,5 to ACME-1042 for late delivery", "'25,5' is not an amount I can read; use a point for decimals")]
    [InlineData("credit 1.2.3 to ACME-1042 for late delivery", "'1.2.3' is not an amount I can read")]
    [InlineData("credit 99999999999999 to ACME-1042 for late delivery", "That amount is far too large")]
    [InlineData("credit 25 1042 late", "I can't tell which of 25 and 1042 is the amount and which is the customer")]
    [InlineData("credit $25 $30 to ACME-1042 for late delivery", "I found more than one amount ($25, $30)")]
    [InlineData("credit $25 to ACME-1042 and to ACME-2000 for late delivery", "I found more than one customer (ACME-1042, ACME-2000)")]
    [InlineData("credit $25 to ACME/1042 for late delivery", "'ACME/1042' can't be a customer reference: it contains '/'")]
    [InlineData("credit $25 to ACME|1042 for late delivery", "it contains '|'")]
    [InlineData("credit $25 to ACME-1042-0000000000000000000000000000000000 for late", "too long for a customer reference")]
    [InlineData("credit €25 to ACME-1042 for late delivery", "'€25' is in EUR, but your team's credits are in USD")]
    [InlineData("credit 50 cents to ACME-1042 for late delivery", "Write cents as part of the amount")]
    [InlineData("hello there", "Start a credit with 'credit'")]
    [InlineData("", "Start a credit with 'credit'")]
    [InlineData(null, "Start a credit with 'credit'")]
    public void Bad_input_yields_a_problem_naming_what_was_wrong(string? text, string problem)
    {
        var parsed = Parse(text);

        Assert.False(parsed.IsComplete);
        Assert.Contains(parsed.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("credit $5 and $90 to ACME-7126 for late delivery", "I found more than one amount ($5, $90)")]
    [InlineData("credit $5 to ACME-7126 for late delivery, or $90", "I found more than one amount ($5, $90)")]
    [InlineData("credit ACME-7126 for late delivery, $5 or 9.50 USD", "I found more than one amount ($5, 9.50 USD)")]
    public void Two_amounts_in_one_message_ask_which_and_take_neither(string text, string problem)
    {
        var parsed = Parse(text);

        Assert.Null(parsed.Amount);
        Assert.Contains(parsed.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
        Assert.Equal("ACME-7126", parsed.Customer);
    }

    [Theory]
    [InlineData("credit $5 to ACME-1 and ACME-2 for late delivery", "I found more than one customer (ACME-1, ACME-2)")]
    [InlineData("credit $5 to ACME-1 for late delivery, ACME-2 too", "I found more than one customer (ACME-1, ACME-2)")]
    [InlineData("credit ACME-2 $5 to ACME-1 for late delivery", "I found more than one customer (ACME-1, ACME-2)")]
    [InlineData("credit $5 to ACME-1 for late delivery, same for CUST_77", "I found more than one customer (ACME-1, CUST_77)")]
    public void Two_customers_in_one_message_ask_which_and_take_neither(string text, string problem)
    {
        var parsed = Parse(text);

        Assert.Null(parsed.Customer);
        Assert.Contains(parsed.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
        Assert.Equal(new Money(500, Usd), parsed.Amount);
    }

    [Theory]
    [InlineData("credit $25 to ACME-1042 for late delivery and a damaged item", "Late delivery", "Damaged item")]
    [InlineData("credit $25 to ACME-1042 because it came late and the box was damaged", "Late delivery", "Damaged item")]
    [InlineData("credit $25 to ACME-1042 for late & damaged — sorry", "Late delivery", "Damaged item")]
    [InlineData("credit $25 to ACME-1042 for the outage, and goodwill", "Service outage", "Goodwill")]
    public void Two_different_reasons_ask_which_and_take_neither(string text, string first, string second)
    {
        var parsed = Parse(text);

        Assert.Null(parsed.Reason);
        var problem = Assert.Single(parsed.Problems);
        Assert.Equal($"This could be a credit for {first} or for {second}; pick the one reason it is for.", problem);
    }

    [Fact]
    public void A_forbidden_reason_settles_a_message_that_also_names_two_allowed_ones()
    {
        var parsed = CreditParser.Parse("credit $25 to ACME-1042 for late and damaged, cash refund", Usd, Reasons, [new("cash refund", [])]);

        Assert.Empty(parsed.Problems);
        Assert.Equal("late and damaged, cash refund", parsed.ReasonText);
    }

    [Fact]
    public void Two_bare_numbers_are_one_problem_and_neither_is_guessed()
    {
        var parsed = Parse("credit 25 1042 late");

        Assert.Null(parsed.Amount);
        Assert.Null(parsed.Customer);
        Assert.Single(parsed.Problems);
        Assert.Equal("Late delivery", parsed.Reason?.Name);
    }

    [Fact]
    public void What_was_read_is_kept_beside_the_problems_so_a_form_can_show_it()
    {
        var parsed = Parse("credit $25 for late delivery");

        Assert.Equal(new Money(2500, Usd), parsed.Amount);
        Assert.Equal("Late delivery", parsed.Reason?.Name);
        Assert.Equal(["I couldn't find the customer; write their reference after 'to', like 'to ACME-1042'."], parsed.Problems);
    }

    [Fact]
    public void The_problem_for_decimals_follows_the_currency()
    {
        Assert.Contains("JPY amounts have no decimals.", Parse("credit ¥12.5 to 1042 for late delivery", "JPY").Problems);
    }

    public static TheoryData<string> Garbage => new()
    {
        "credit " + new string('9', 10_000),
        "credit " + string.Concat(Enumerable.Repeat("1 ", 5_000)),
        "credit " + string.Concat(Enumerable.Repeat("$1 ", 3_400)),
        "credit " + string.Concat(Enumerable.Repeat("ACME-1 ", 1_450)),
        "credit $25 to ACME-1042 for " + string.Concat(Enumerable.Repeat("late delivrey ", 730)),
        "credit $25 to ACME-1042 for " + new string('a', 10_000),
        "credit " + string.Concat(Enumerable.Repeat("<at>", 2_500)),
        "credit " + string.Concat(Enumerable.Repeat("to # ", 2_000)),
        "credit " + string.Concat(Enumerable.Repeat("customer ", 1_120)),
        "credit " + string.Concat(Enumerable.Repeat("$", 10_000)),
        "credit " + string.Concat(Enumerable.Repeat("1,", 5_000)),
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Ten_kilobytes_of_garbage_is_refused_without_an_exception(string text)
    {
        // No time is asserted: the point is that tokenising stays linear, so this completes at once.
        var parsed = Parse(text);

        Assert.False(parsed.IsComplete);
        Assert.NotEmpty(parsed.Problems);
    }

    [Theory]
    [InlineData("credit $25 to acme-1042 for late", true)]
    [InlineData("refund: 10 to 1042", true)]
    [InlineData("give 1042 $5 goodwill", true)]
    [InlineData("apply $5 to 1042", true)]
    [InlineData("credits", false)]
    [InlineData("budget", false)]
    [InlineData("", false)]
    public void Credit_commands_are_recognised_by_their_first_word(string normalized, bool expected)
    {
        Assert.Equal(expected, CreditParser.Recognizes(normalized));
    }

    [Theory]
    [InlineData("#acme-1042", "ACME-1042")]
    [InlineData(" cust_77 ", "CUST_77")]
    [InlineData("ord-2026-0042", "ORD-2026-0042")]
    public void Customer_references_have_one_normal_form(string text, string expected)
    {
        Assert.True(CustomerRef.TryNormalize(text, out var customer, out _));
        Assert.Equal(expected, customer);
    }
}
