using System.Text.Json;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Approvals;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Policy.PolicyCardKit;

namespace EmpowerBot.Tests.Policy;

/// <summary>Megan changes the demo team's limits in the policy card; Alex, a rep, hears it and credits by the new rules.</summary>
public sealed class PolicyEditTests : AlexAndMeganTests
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await bot.PostAsync(connector.AsMegan("hello"));
        await bot.PostAsync(connector.AsAlex("hello"));
        connector.Clear();
    }

    private async Task<JsonElement> PolicyCardAsync() => CardOf(await bot.ExchangeAsync(connector.AsMegan("policy")));

    private static Dictionary<string, object?> Save(Dictionary<string, object?> activity, JsonElement card, Dictionary<string, string> changes) =>
        Submit(activity, card, changes);

    private Task<IReadOnlyList<JsonElement>> MeganSavesAsync(JsonElement card, Dictionary<string, string> changes) =>
        bot.ExchangeAsync(Save(connector.AsMegan(""), card, changes));

    private Task<List<TableEntity>> AuditAsync() =>
        bot.Store.QueryPrefixAsync(Tables.Organization, OrganizationRows.Partition, OrganizationRows.AuditPrefix, CancellationToken.None).ToListAsync(CancellationToken.None);

    [Fact]
    public async Task The_managers_policy_card_shows_the_teams_limits_in_its_inputs_and_the_organisations_rules_as_fixed()
    {
        var card = await PolicyCardAsync();

        Assert.Equal("200", InputValue(card, "monthlyBudget"));
        Assert.Equal("100", InputValue(card, "threshold"));
        Assert.Equal("15", InputValue(card, "undoMinutes"));
        Assert.Equal("20", Inputs(card).Where(i => i.GetProperty("id").GetString()!.StartsWith("cap")).Select(i => i.GetProperty("value").GetString()).Single(v => v != ""));
        Assert.Contains("$500.00 for one credit, even with approval", card.ToString());
        Assert.Contains("cash refund, gift card", card.ToString());
        // A rep's "policy" stays the read-only limits card.
        Assert.Contains("Your credit limits", (await bot.ExchangeAsync(connector.AsAlex("policy"))).Everything());
    }

    [Fact]
    public async Task A_saved_limit_holds_at_once_on_both_instances_is_audited_from_to_and_every_rep_hears_it()
    {
        using var second = NewHost(new() { ["Organization:RefreshInterval"] = "00:10:00" });
        _ = second.Services;

        var saved = (await MeganSavesAsync(await PolicyCardAsync(), new() { ["threshold"] = "150" })).Everything();

        Assert.Contains("Saved. Frontline Demo's limits from now on:", saved);
        Assert.Contains("Single-credit limit: $100.00 → $150.00", saved);
        await ApprovalTestKit.WaitForTextToAlexAsync(connector, "Megan Bowen changed Frontline Demo's credit limits");
        Assert.Contains("Applied $120.00", (await second.ExchangeAsync(connector.AsAlex("credit $120 to ACME-5 for late delivery"))).Everything());
        var audit = Assert.Single(await AuditAsync());
        Assert.Equal(("threshold", "$100.00", "$150.00", "aad:" + Activities.MeganAad), (audit.GetString("field"), audit.GetString("from"), audit.GetString("to"), audit.GetString("by")));
    }

    [Theory]
    [InlineData("threshold", "600", "The single-credit limit can be at most $500.00 (the organisation's hard maximum).")]
    [InlineData("threshold", "12.345", "is not an amount in USD")]
    [InlineData("monthlyBudget", "", "The monthly budget is needed")]
    [InlineData("undoMinutes", "-5", "The undo window is a whole number of minutes from 0 to 1440")]
    [InlineData("cap5", "9999", "can be at most $500.00")]
    public async Task A_bad_value_gets_the_card_again_with_what_is_wrong_and_changes_nothing(string field, string value, string problem)
    {
        var version = bot.Services.GetRequiredService<Roster>().Version;

        var answer = await MeganSavesAsync(await PolicyCardAsync(), new() { [field] = value, ["repeatMax"] = "5" });

        Assert.Contains(problem, answer.Everything());
        Assert.Equal("5", InputValue(CardOf(answer), "repeatMax")); // what Megan typed is kept for her to fix
        Assert.Equal(version, bot.Services.GetRequiredService<Roster>().Version);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task A_card_opened_before_another_change_cannot_undo_it_and_the_same_card_saved_twice_changes_once()
    {
        var first = await PolicyCardAsync();
        var stale = await PolicyCardAsync();
        Assert.Contains("Saved", (await MeganSavesAsync(first, new() { ["threshold"] = "150" })).Everything());
        Assert.Contains("Nothing changed", (await MeganSavesAsync(await PolicyCardAsync(), new() { ["threshold"] = "150" })).Everything());

        var refused = await MeganSavesAsync(stale, new() { ["undoMinutes"] = "30" });

        Assert.Contains("changed since this card was opened", refused.Everything());
        Assert.Equal("150", InputValue(CardOf(refused), "threshold"));
        Assert.Single(await AuditAsync());
    }

    [Fact]
    public async Task A_budget_cut_mid_month_applies_from_then_on_and_never_takes_back_what_was_given()
    {
        Assert.Contains("Applied $90.00", (await bot.ExchangeAsync(connector.AsAlex("credit $90 to ACME-1 for late delivery"))).Everything());

        Assert.Contains("Monthly budget: $200.00 → $50.00", (await MeganSavesAsync(await PolicyCardAsync(), new() { ["monthlyBudget"] = "50" })).Everything());

        var ledger = await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");
        Assert.Equal("Applied", Assert.Single(ledger, r => r.RowKey.StartsWith("credit|", StringComparison.Ordinal)).GetString("status"));
        var next = (await bot.ExchangeAsync(connector.AsAlex("credit $5 to ACME-2 for late delivery"))).Everything();
        Assert.Contains("This needs Megan's approval", next); // over what is left of the new budget: an exception, nothing taken back
        Assert.DoesNotContain("Applied $5.00", next);
    }

    [Fact]
    public async Task A_rep_sending_the_save_by_hand_changes_nothing()
    {
        var card = await PolicyCardAsync();

        var answer = (await bot.ExchangeAsync(Save(connector.AsAlex(""), card, new() { ["monthlyBudget"] = "100000" }))).Everything();

        Assert.Contains("Only a team's managers can change its limits", answer);
        Assert.Empty(await AuditAsync());
        Assert.Contains("You have $200.00 left", (await bot.ExchangeAsync(connector.AsAlex("budget"))).Everything());
    }
}
