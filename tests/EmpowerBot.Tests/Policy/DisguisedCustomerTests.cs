using System.Text.RegularExpressions;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Policy;

/// <summary>
/// Invariant 8 through the whole bot: a customer reference is canonicalised once, so the hold list, the repeat rule,
/// the ledger, the history and the billing webhook all see one id, however the rep's text disguised it.
/// </summary>
public sealed class DisguisedCustomerTests : IAsyncLifetime
{
    private const string Secret = "whsec-test-0123456789";
    private FakeWebhook webhook = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        webhook = await FakeWebhook.StartAsync();
        bot = new BotHost(new()
        {
            ["Billing:WebhookUrl"] = webhook.Url.ToString(),
            ["Billing:SigningSecret"] = Secret,
            // The second held customer is configured with U+2010, a hyphen look-alike: it must still hold ACME-0002.
            ["Policy:HoldList:1"] = "ACME\u20100002",
        });
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await webhook.DisposeAsync();
    }

    /// <summary>Each disguise the issue reported, as a function of the plain reference.</summary>
    public static TheoryData<string, string> Disguises => new()
    {
        { "zero-width space", "{0}\u200B" },
        { "zero-width joiner", "\u200D{0}" },
        { "soft hyphen", "A\u00AD{1}" },
        { "byte order mark", "\uFEFF{0}" },
        { "word joiner", "{0}\u2060" },
        { "right-to-left override", "\u202E{0}" },
        { "hyphen", "{2}\u2010{3}" },
        { "non-breaking hyphen", "{2}\u2011{3}" },
        { "zero-width space behind a comma", "{0},\u200B" },
    };

    private static string Disguise(string pattern, string reference)
    {
        var dash = reference.IndexOf('-');
        return string.Format(pattern, reference, reference[1..], reference[..dash], reference[(dash + 1)..]);
    }

    private async Task<string> SayAsync(string text) => (await bot.ExchangeAsync(Activities.Message(text))).Everything();

    private async Task<List<TableEntity>> CreditRowsAsync() =>
        (await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11")).Where(r => r.RowKey.StartsWith("credit|")).ToList();

    [Theory]
    [MemberData(nameof(Disguises))]
    public async Task A_disguised_reference_to_a_customer_on_hold_is_refused(string disguise, string pattern)
    {
        var reply = await SayAsync($"credit $5 to {Disguise(pattern, "ACME-0001")} for late delivery");

        Assert.True(reply.Contains("Customer on hold (non-negotiable)"), $"{disguise}: {reply}");
        var row = Assert.Single(await CreditRowsAsync());
        Assert.Equal(("ACME-0001", "Refused"), (row.GetString("customer"), row.GetString("status")));
    }

    [Fact]
    public async Task A_reference_in_cyrillic_look_alike_letters_is_refused_and_nothing_is_recorded()
    {
        var reply = await SayAsync("credit $5 to \u0410\u0421\u041C\u0415-0001 for late delivery");

        Assert.Contains("Cyrillic", reply);
        Assert.Contains("Latin letters", reply);
        Assert.DoesNotContain("Applied", reply);
        Assert.Empty(await CreditRowsAsync());
    }

    [Fact]
    public async Task A_hold_list_entry_written_with_a_look_alike_hyphen_holds_the_plain_reference()
    {
        Assert.Contains("Customer on hold (non-negotiable)", await SayAsync("credit $5 to acme-0002 for late delivery"));
    }

    [Theory]
    [MemberData(nameof(Disguises))]
    public async Task A_disguised_reference_is_the_same_customer_for_the_repeat_rule(string disguise, string pattern)
    {
        await SayAsync("credit $5 to ACME-77 for late delivery");
        await SayAsync("credit $5 to ACME-77 for damaged item");

        var third = await SayAsync($"credit $5 to {Disguise(pattern, "ACME-77")} for billing error");

        Assert.True(third.Contains("This needs Megan's approval"), $"{disguise}: {third}");
        Assert.All(await CreditRowsAsync(), r => Assert.Equal("ACME-77", r.GetString("customer")));
        Assert.Equal(2, (await bot.RowsAsync(Tables.Customers, $"{Activities.Tenant}|ACME-77")).Count(r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task History_and_the_billing_webhook_see_the_canonical_id()
    {
        var receipt = await SayAsync("credit $5 to ACME\u2011\u200B5 for late delivery");
        bot.Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Contains("Applied $5.00 to ACME-5 ", receipt);
        var history = await SayAsync("history");
        Assert.Contains("ACME-5", history);
        Assert.All(Regex.Matches(history, "ACME..."), m => Assert.Equal("ACME-5 ", m.Value.Replace('"', ' ').Replace('(', ' ')));
        var delivered = Assert.Single(await webhook.WaitForDeliveredAsync(1));
        Assert.Contains("\"customer\":\"ACME-5\"", delivered.Body);
    }

    [Fact]
    public async Task A_submitted_credit_form_is_canonicalised_like_typed_text()
    {
        var submit = Activities.Message("");
        submit.Remove("text");
        submit["value"] = new { command = "credit-form", amount = "5.00", customer = "ACME\u2011\u00AD0001", reason = "Late delivery" };

        var reply = (await bot.ExchangeAsync(submit)).Everything();

        Assert.Contains("Customer on hold (non-negotiable)", reply);
        Assert.Equal("ACME-0001", Assert.Single(await CreditRowsAsync()).GetString("customer"));
    }
}
