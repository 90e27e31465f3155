using System.Net;
using System.Text.Json;
using EmpowerBot.Approvals;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Approvals;

/// <summary>
/// Levels of authority: Lee (team lead, approves up to $250) and Megan (manager, any amount), and Dana above them as
/// the fallback approver. An exception goes to the lowest level that can approve it, and an approver passes it up.
/// </summary>
public sealed class TieredAuthorityTests : AlexAndMeganTests
{
    private const string LeeAad = "00000000-0000-0000-0000-0000000000022";
    private const string DanaAad = "00000000-0000-0000-0000-0000000000023";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var (user, name, aad) in new[] { ("user-id-1", "Megan Bowen", Activities.MeganAad), ("user-id-2", "Lee Gu", LeeAad), ("user-id-3", "Dana Reyes", DanaAad) })
        {
            await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user, name, aad));
        }
        connector.Clear();
    }

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Organization:Teams:0:Members:1:ApprovesUpTo"] = null,
        ["Organization:Teams:0:Members:2:Id"] = "aad:" + LeeAad,
        ["Organization:Teams:0:Members:2:Name"] = "Lee Gu",
        ["Organization:Teams:0:Members:2:Role"] = "Manager",
        ["Organization:Teams:0:Members:2:ApprovesUpTo"] = "250",
        // Dana heads the contact centre: on a roster of her own, and the fallback approver above every team's levels.
        ["Organization:Teams:1:Id"] = "leadership",
        ["Organization:Teams:1:Name"] = "Contact centre leadership",
        ["Organization:Teams:1:Members:0:Id"] = "aad:" + DanaAad,
        ["Organization:Teams:1:Members:0:Name"] = "Dana Reyes",
        ["Organization:Teams:1:Members:0:Role"] = "Manager",
        ["Approvals:FallbackApprovers:0"] = "aad:" + DanaAad,
    };

    private ApprovalStore Store => bot.Services.GetRequiredService<ApprovalStore>();

    private static string Key(string aad) => "aad:" + aad;

    private Dictionary<string, object?> As(string aad, string text) => aad switch
    {
        LeeAad => Activities.Message(text, connector.ServiceUrl, "user-id-2", "Lee Gu", aad),
        DanaAad => Activities.Message(text, connector.ServiceUrl, "user-id-3", "Dana Reyes", aad),
        Activities.MeganAad => Activities.Message(text, connector.ServiceUrl, "user-id-1", "Megan Bowen", aad),
        _ => Activities.Message(text, connector.ServiceUrl),
    };

    /// <param name="posted">Alex's answer is posted through the connector, as in Teams, not returned in the response.</param>
    private async Task<ApprovalRequest> AskAsync(string text, bool posted = false)
    {
        var before = (await Store.PendingForRequesterAsync(Activities.Tenant, Key(Activities.AlexAad), CancellationToken.None)).Select(r => r.Id).ToHashSet();
        if (posted) await ApprovalTestKit.PostAndWaitAsync(bot, connector, As(Activities.AlexAad, text), "approval.withdraw");
        else await bot.ExchangeAsync(As(Activities.AlexAad, text));
        return Assert.Single(await Store.PendingForRequesterAsync(Activities.Tenant, Key(Activities.AlexAad), CancellationToken.None), r => !before.Contains(r.Id));
    }

    private Task<(HttpStatusCode Status, string Body)> ClickAsync(string verb, string approvalId, string aad) => ClickAsync(bot, verb, approvalId, aad);

    private async Task<(HttpStatusCode Status, string Body)> ClickAsync(BotHost host, string verb, string approvalId, string aad)
    {
        var (user, name) = aad switch
        {
            LeeAad => ("user-id-2", "Lee Gu"),
            DanaAad => ("user-id-3", "Dana Reyes"),
            Activities.MeganAad => ("user-id-1", "Megan Bowen"),
            _ => ("user-id-0", "Alex Wilber"),
        };
        using var response = await host.PostAsync(Activities.Invoke(verb, new { approvalId }, connector.ServiceUrl, user, name, aad));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> CardToAsync(string aad, Func<string, bool>? where = null)
    {
        var tail = aad[^4..] + "/activities";
        ConnectorCall? posted = null;
        await Eventually.UntilAsync(() => (posted = connector.Calls.FirstOrDefault(c => c.Method == "POST" && c.Path.Contains(tail) && c.Body.TryGetProperty("attachments", out _)
            && (where is null || where(c.Body.GetRawText())))) is not null, $"an approval card to reach {aad}");
        return posted!.Body.GetProperty("attachments")[0].GetProperty("content");
    }

    [Fact]
    public async Task An_exception_goes_to_the_lowest_level_that_can_approve_it()
    {
        var small = await AskAsync("credit $150 to ACME-1042 for late delivery");
        Assert.Equal([Key(LeeAad)], small.Approvers);

        var large = await AskAsync("credit $300 to ACME-7 for damaged item");
        Assert.Equal([Key(Activities.MeganAad)], large.Approvers);
    }

    [Fact]
    public async Task Lee_passes_a_request_up_to_Megan_who_gets_the_card_and_approves_it_while_Lee_can_no_longer_decide()
    {
        var request = await AskAsync("credit $150 to ACME-1042 for late delivery", posted: true);
        var leeCard = await CardToAsync(LeeAad);
        Assert.Contains("Pass up to Megan", leeCard.GetRawText());

        var (status, body) = await ClickAsync(PassUpAction.PassUp, request.Id, LeeAad);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Passed up by Lee Gu", body);
        Assert.Contains("now with Megan.", body); // a name, never a person key
        Assert.DoesNotContain("\"approval.approve\"", body);
        var moved = await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None);
        Assert.Equal([Key(Activities.MeganAad)], moved!.Approvers);
        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Key(LeeAad), CancellationToken.None));
        Assert.Equal(request.Id, Assert.Single(await Store.PendingForApproverAsync(Activities.Tenant, Key(Activities.MeganAad), CancellationToken.None)).Id);
        var meganCard = await CardToAsync(Activities.MeganAad);
        Assert.Contains("\"approval.approve\"", meganCard.GetRawText());
        Assert.Contains("Passed up by Lee Gu", meganCard.GetRawText());
        Assert.Contains("passed your $150.00 credit to ACME-1042 up to Megan", await ApprovalTestKit.WaitForTextToAlexAsync(connector, "passed your"));
        // Alex's own card of the request now says who has it, even in a client that never refreshes it.
        await Eventually.UntilAsync(() => connector.Calls.Any(c => c.Method == "PUT" && c.Path.Contains(ApprovalTestKit.AlexChat)
            && c.Body.GetRawText().Contains("Add a note for Megan")), "Alex's card to name Megan");

        var stale = await ClickAsync(ApprovalAction.Approve, request.Id, LeeAad);
        Assert.True((await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.IsPending, stale.Body);

        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(ApprovalAction.Approve, request.Id, Activities.MeganAad)).Status);
        var decided = await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None);
        Assert.Equal(ApprovalStatus.Approved, decided!.Status);
        Assert.Equal(Key(Activities.MeganAad), decided.DecidedBy);
    }

    [Fact]
    public async Task Megan_passes_up_to_the_fallback_approver_and_above_the_top_there_is_no_pass_up()
    {
        var request = await AskAsync("credit $300 to ACME-7 for damaged item");
        Assert.Contains("Pass up to Dana", (await CardToAsync(Activities.MeganAad)).GetRawText());

        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(PassUpAction.PassUp, request.Id, Activities.MeganAad)).Status);

        var danaCard = (await CardToAsync(DanaAad)).GetRawText();
        Assert.Contains("\"approval.approve\"", danaCard);
        Assert.DoesNotContain("Pass up to", danaCard);
        var (status, body) = await ClickAsync(PassUpAction.PassUp, request.Id, DanaAad);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Nobody is above you", body);
        Assert.Equal([Key(DanaAad)], (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.Approvers);
    }

    [Theory]
    [InlineData(Activities.AlexAad)]
    [InlineData(Activities.MeganAad)]
    [InlineData(DanaAad)]
    public async Task Someone_who_is_not_an_approver_now_cannot_pass_the_request_on(string aad)
    {
        var request = await AskAsync("credit $150 to ACME-1042 for late delivery");

        var (status, _) = await ClickAsync(PassUpAction.PassUp, request.Id, aad);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var unchanged = await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None);
        Assert.Equal([Key(LeeAad)], unchanged!.Approvers);
        Assert.Null(unchanged.PassedUpAt);
    }

    [Fact]
    public async Task Two_clicks_on_pass_up_at_once_move_the_request_one_level_and_index_it_once()
    {
        var request = await AskAsync("credit $150 to ACME-1042 for late delivery");

        var clicks = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ClickAsync(PassUpAction.PassUp, request.Id, LeeAad)));

        Assert.All(clicks, c => Assert.Equal(HttpStatusCode.OK, c.Status));
        var moved = await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None);
        Assert.Equal([Key(Activities.MeganAad)], moved!.Approvers);
        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Key(DanaAad), CancellationToken.None));
        Assert.Single(await Store.PendingForApproverAsync(Activities.Tenant, Key(Activities.MeganAad), CancellationToken.None));
    }

    [Fact]
    public async Task Pass_up_clicked_on_two_bot_instances_at_once_moves_the_request_one_level()
    {
        using var other = NewHost();
        var request = await AskAsync("credit $150 to ACME-1042 for late delivery");

        var clicks = await Task.WhenAll(
            ClickAsync(bot, PassUpAction.PassUp, request.Id, LeeAad), ClickAsync(other, PassUpAction.PassUp, request.Id, LeeAad),
            ClickAsync(bot, PassUpAction.PassUp, request.Id, LeeAad), ClickAsync(other, PassUpAction.PassUp, request.Id, LeeAad));

        Assert.All(clicks, c => Assert.Equal(HttpStatusCode.OK, c.Status));
        Assert.Equal([Key(Activities.MeganAad)], (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.Approvers);
        Assert.Single(await Store.PendingForApproverAsync(Activities.Tenant, Key(Activities.MeganAad), CancellationToken.None));
        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Key(LeeAad), CancellationToken.None));
        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Key(DanaAad), CancellationToken.None));
    }

    [Fact]
    public async Task Lee_approving_on_one_instance_while_passing_up_on_another_either_decides_it_or_passes_it_never_both()
    {
        using var other = NewHost();
        foreach (var customer in new[] { "RACE-1", "RACE-2", "RACE-3", "RACE-4" })
        {
            var request = await AskAsync($"credit $150 to {customer} for late delivery");

            await Task.WhenAll(
                ClickAsync(bot, ApprovalAction.Approve, request.Id, LeeAad), ClickAsync(other, PassUpAction.PassUp, request.Id, LeeAad),
                ClickAsync(other, ApprovalAction.Approve, request.Id, LeeAad), ClickAsync(bot, PassUpAction.PassUp, request.Id, LeeAad));

            var after = (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!;
            if (after.Status == ApprovalStatus.Approved)
            {
                Assert.Equal(Key(LeeAad), after.DecidedBy);
                Assert.Contains(Key(LeeAad), after.Approvers);
            }
            else
            {
                Assert.True(after.IsPending, after.Status.ToString());
                Assert.Equal([Key(Activities.MeganAad)], after.Approvers);
            }
        }
    }

    [Fact]
    public async Task A_pass_up_whose_cards_were_never_sent_still_reaches_the_new_approver_a_minute_on()
    {
        var request = await AskAsync("credit $150 to ACME-1042 for late delivery");
        await CardToAsync(LeeAad);
        connector.Clear();
        var now = bot.Clock.GetUtcNow();
        // As a crash right after the pass-up leaves it: the safety net queued and the pass-up written, no card sent.
        await bot.Services.GetRequiredService<EmpowerBot.Outbox.OutboxWriter>().EnqueueAsync(
            ApprovalSchedule.Deliver(new ApprovalRef(Activities.Tenant, request.Id), now + TimeSpan.FromMinutes(1)), CancellationToken.None);
        var current = (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!;
        Assert.True(await Store.TryReassignAsync(current, current with { Approvers = [Key(Activities.MeganAad)], PassedUpByName = "Lee Gu", PassedUpAt = now }, CancellationToken.None));

        bot.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Contains("\"approval.approve\"", (await CardToAsync(Activities.MeganAad)).GetRawText());
    }

    [Fact]
    public async Task Lee_covering_for_Megan_passes_her_request_above_her_level_not_back_to_her()
    {
        Assert.Contains("Lee Gu covers", (await bot.ExchangeAsync(As(Activities.MeganAad, "away until Friday, Lee covers"))).Everything());
        var request = await AskAsync("credit $300 to ACME-7 for damaged item");
        Assert.Equal([Key(LeeAad)], request.Approvers);
        Assert.Contains("Pass up to Dana", (await CardToAsync(LeeAad)).GetRawText());

        var (status, body) = await ClickAsync(PassUpAction.PassUp, request.Id, LeeAad);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Passed up by Lee Gu", body);
        Assert.Contains("now with Dana.", body);
        Assert.Equal([Key(DanaAad)], (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.Approvers);
        Assert.Contains("\"approval.approve\"", (await CardToAsync(DanaAad)).GetRawText());
    }

    [Fact]
    public async Task Passing_up_skips_a_level_whose_approvers_are_all_away_with_no_cover()
    {
        Assert.Contains("No one covers", (await bot.ExchangeAsync(As(Activities.MeganAad, "away until Friday"))).Everything());
        var request = await AskAsync("credit $150 to ACME-1042 for late delivery");
        Assert.Contains("Pass up to Dana", (await CardToAsync(LeeAad)).GetRawText());

        Assert.Equal(HttpStatusCode.OK, (await ClickAsync(PassUpAction.PassUp, request.Id, LeeAad)).Status);

        Assert.Equal([Key(DanaAad)], (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.Approvers);
        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Key(Activities.MeganAad), CancellationToken.None));
    }

    [Fact]
    public async Task A_non_negotiable_rule_still_refuses_outright_whatever_the_levels()
    {
        var reply = (await bot.ExchangeAsync(As(Activities.AlexAad, "credit $600 to ACME-7 for damaged item"))).Everything();

        Assert.DoesNotContain("approval", reply, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await Store.PendingForRequesterAsync(Activities.Tenant, Key(Activities.AlexAad), CancellationToken.None));
    }

    [Fact]
    public void ApprovesUpTo_on_a_rep_is_refused_at_start_up_naming_the_key()
    {
        var error = BotHost.StartFailure(new() { ["Organization:Teams:0:Members:0:ApprovesUpTo"] = "100" });

        Assert.Contains("Organization:Teams:0:Members:0:ApprovesUpTo is for managers", error.ToString());
    }
}
