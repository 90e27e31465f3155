using System.Text.Json;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Approvals;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Policy.PolicyCardKit;

namespace EmpowerBot.Tests.Policy;

/// <summary>Megan, an org admin here, sets the organisation's fixed rules; every team, and Alex, live by them.</summary>
public sealed class OrgPolicyTests : AlexAndMeganTests
{
    protected override Dictionary<string, string?> Settings() => new() { ["Organization:Admins:0"] = Activities.MeganAad };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await bot.PostAsync(connector.AsMegan("hello"));
        await bot.PostAsync(connector.AsAlex("hello"));
        connector.Clear();
    }

    private async Task<JsonElement> CardAsync(Dictionary<string, object?> who) => CardOf(await bot.ExchangeAsync(who));

    private static string? Value(JsonElement card, string id) => InputValue(card, id);

    private Task<IReadOnlyList<JsonElement>> SaveAsync(JsonElement card, Dictionary<string, string> changes, Dictionary<string, object?>? who = null) =>
        bot.ExchangeAsync(Submit(who ?? connector.AsMegan(""), card, changes));

    [Fact]
    public async Task The_admins_card_shows_the_rules_in_force_and_a_saved_change_binds_every_team_at_once()
    {
        var card = await CardAsync(connector.AsMegan("org policy"));
        Assert.Equal("500", Value(card, "hardMaximum"));
        Assert.Equal("cash refund, gift card", Value(card, "forbidden"));

        var saved = (await SaveAsync(card, new() { ["hardMaximum"] = "400", ["forbidden"] = "cash refund, gift card, store credit", ["holdList"] = "ACME-0001, acme-9" })).Everything();

        Assert.Contains("Saved for every team", saved);
        Assert.Contains("Hard maximum for one credit: 500.00 → 400.00", saved);
        Assert.Contains("Never for: cash refund, gift card → cash refund, gift card, store credit", saved);
        Assert.Contains("can't be applied", (await bot.ExchangeAsync(connector.AsAlex("credit $450 to ACME-1 for late delivery"))).Everything());
        Assert.Contains("store credit", (await bot.ExchangeAsync(connector.AsAlex("credit $10 to ACME-2 as store credit for late delivery"))).Everything());
        Assert.Contains("can't be applied", (await bot.ExchangeAsync(connector.AsAlex("credit $10 to ACME-9 for late delivery"))).Everything());
        await ApprovalTestKit.WaitForTextToAlexAsync(connector, "The organisation's credit rules changed");
        // A manager's own card shows the organisation's maximum as fixed, and cannot go above it.
        var team = await CardAsync(connector.AsMegan("policy"));
        Assert.Contains("$400.00 for one credit", team.ToString());
        var audit = await bot.Store.QueryPrefixAsync(Tables.Organization, OrganizationRows.Partition, OrganizationRows.AuditPrefix, CancellationToken.None).ToListAsync(CancellationToken.None);
        Assert.Equal(["forbiddenReasons", "hardMaximum", "holdList"], audit.Select(a => a.GetString("field")!).Order());
    }

    [Theory]
    [InlineData("hardMaximum", "50", "Frontline Demo:")] // below the team's $100 single-credit limit
    [InlineData("hardMaximum", "lots", "The hard maximum is an amount above 0")]
    [InlineData("holdList", "ACME-1, АСМЕ-2", "Hold list")] // a look-alike in Cyrillic is refused
    [InlineData("forbidden", "x", "A forbidden reason is 2 to 60 characters")]
    public async Task A_value_that_cannot_hold_is_refused_with_the_reason_and_nothing_changes(string field, string value, string problem)
    {
        var version = bot.Services.GetRequiredService<Roster>().Version;

        var answer = (await SaveAsync(await CardAsync(connector.AsMegan("org policy")), new() { [field] = value })).Everything();

        Assert.Contains(problem, answer);
        Assert.Equal(version, bot.Services.GetRequiredService<Roster>().Version);
        Assert.Contains("Applied $45.00", (await bot.ExchangeAsync(connector.AsAlex("credit $45 to ACME-3 for late delivery"))).Everything());
    }

    [Fact]
    public async Task A_card_opened_before_another_admins_change_cannot_undo_it()
    {
        var first = await CardAsync(connector.AsMegan("org policy"));
        var stale = await CardAsync(connector.AsMegan("org policy"));
        Assert.Contains("Saved for every team", (await SaveAsync(first, new() { ["hardMaximum"] = "400" })).Everything());

        var refused = await SaveAsync(stale, new() { ["holdList"] = "ACME-0001, ACME-5" });

        Assert.Contains("changed since this card was opened", refused.Everything());
        Assert.Equal("400", Value(CardOf(refused), "hardMaximum"));
        Assert.Equal(400m, bot.Services.GetRequiredService<Roster>().Rules!.HardMaximum);
        Assert.Equal(["ACME-0001"], bot.Services.GetRequiredService<Roster>().Rules!.HoldList);
    }

    [Fact]
    public async Task Only_an_admin_may_see_or_save_the_organisations_rules()
    {
        var card = await CardAsync(connector.AsMegan("org policy"));

        Assert.Contains("set by EmpowerBot admins", (await bot.ExchangeAsync(connector.AsAlex("org policy"))).Everything());
        Assert.Contains("set by EmpowerBot admins", (await SaveAsync(card, new() { ["hardMaximum"] = "" }, connector.AsAlex(""))).Everything());
        Assert.Null(bot.Services.GetRequiredService<Roster>().Rules);
    }
}
