using EmpowerBot.Approvals;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Approvals;

/// <summary>
/// Cover while away: Megan, the demo team's manager, is away until Friday and Lee covers. (The test clock says Sunday
/// Nov 22, 2026, 10 AM in New York.)
/// </summary>
public sealed class AwayTests : AlexAndMeganTests
{
    private const string LeeAad = "00000000-0000-0000-0000-0000000000022";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await bot.PostAsync(AsMegan("hello"));
        await bot.PostAsync(AsLee("hello"));
        connector.Clear();
    }

    protected override Dictionary<string, string?> Settings() => new()
    {
        ["Organization:Teams:0:Members:2:Id"] = "aad:" + LeeAad,
        ["Organization:Teams:0:Members:2:Name"] = "Lee Gu",
        ["Organization:Teams:0:Members:2:Role"] = "Manager",
    };

    private ApprovalStore Store => bot.Services.GetRequiredService<ApprovalStore>();

    private Dictionary<string, object?> AsMegan(string text) => Activities.Message(text, connector.ServiceUrl, "user-id-1", "Megan Bowen", Activities.MeganAad);

    private Dictionary<string, object?> AsLee(string text) => Activities.Message(text, connector.ServiceUrl, "user-id-2", "Lee Gu", LeeAad);

    private Dictionary<string, object?> AsAlex(string text) => Activities.Message(text, connector.ServiceUrl);

    private async Task<string> SayAsync(Dictionary<string, object?> activity) => (await bot.ExchangeAsync(activity)).Everything();

    private Task<List<ApprovalRequest>> WaitingForAsync(string aad) => Store.PendingForApproverAsync(Activities.Tenant, "aad:" + aad, CancellationToken.None);

    private async Task<string> TextToLeeAsync(string contains)
    {
        string? text = null;
        await Eventually.UntilAsync(() => (text = connector.Calls.Where(c => c.Method == "POST" && c.Path.Contains(LeeAad[^4..] + "/activities") && c.Body.TryGetProperty("text", out _))
            .Select(c => c.Body.GetProperty("text").GetString()!).FirstOrDefault(t => t.Contains(contains))) is not null, $"Lee to be told '{contains}'");
        return text!;
    }

    [Fact]
    public async Task While_Megan_is_away_new_requests_go_to_Lee_who_is_told_and_back_on_her_return_they_come_to_her_again()
    {
        // Both managers are one level: a request goes to both until Megan is away.
        var answer = await SayAsync(AsMegan("away until Friday, Lee covers"));

        Assert.Contains("You're away until Friday, Nov 27", answer);
        Assert.Contains("Lee Gu covers", answer);
        Assert.Contains("Megan Bowen is away until Friday, Nov 27 and asked you to cover", await TextToLeeAsync("asked you to cover"));
        await SayAsync(AsAlex("credit $150 to ACME-1042 for late delivery"));
        Assert.Equal(["aad:" + LeeAad], Assert.Single(await WaitingForAsync(LeeAad)).Approvers);
        Assert.Empty(await WaitingForAsync(Activities.MeganAad));

        Assert.Contains("new approval requests come to you again", await SayAsync(AsMegan("back")));

        await SayAsync(AsAlex("credit $120 to ACME-77 for a damaged item"));
        Assert.Contains(await WaitingForAsync(Activities.MeganAad), r => r.Customer == "ACME-77");
    }

    [Fact]
    public async Task Only_an_approver_can_cover_and_a_refused_away_moves_nothing()
    {
        using var solo = NewHost(new() { ["Organization:Teams:0:Members:2:Role"] = "Rep" }, ownStore: true); // Megan the only manager
        await solo.ExchangeAsync(AsAlex("credit $150 to ACME-1042 for late delivery"));
        var store = solo.Services.GetRequiredService<ApprovalStore>();
        Assert.Single(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + Activities.MeganAad, CancellationToken.None));

        // Lee is a rep in this roster: only approvers can cover.
        Assert.Contains("couldn't find an approver called \"lee\"", (await solo.ExchangeAsync(AsMegan("away until Friday, Lee covers"))).Everything());
        Assert.Single(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + Activities.MeganAad, CancellationToken.None));
    }

    [Fact]
    public async Task Requests_waiting_for_Megan_move_to_Lee_with_the_index_when_she_goes_away()
    {
        using var levels = NewHost(new() { ["Organization:Teams:0:Members:2:ApprovesUpTo"] = "100" }, ownStore: true); // Lee: a lead below this request
        await levels.PostAsync(AsLee("hello"));
        await levels.ExchangeAsync(AsAlex("credit $150 to ACME-1042 for late delivery"));
        var store = levels.Services.GetRequiredService<ApprovalStore>();
        var waiting = Assert.Single(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + Activities.MeganAad, CancellationToken.None));

        var answer = (await levels.ExchangeAsync(AsMegan("out until tomorrow, covered by Lee Gu"))).Everything();

        Assert.Contains("the request waiting for you went to them now", answer);
        Assert.Empty(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + Activities.MeganAad, CancellationToken.None));
        var moved = Assert.Single(await store.PendingForApproverAsync(Activities.Tenant, "aad:" + LeeAad, CancellationToken.None));
        Assert.Equal(waiting.Id, moved.Id);
        // Covering, Lee decides with Megan's authority.
        using var response = await levels.PostAsync(Activities.Invoke(ApprovalAction.Approve, new { approvalId = moved.Id }, connector.ServiceUrl, "user-id-2", "Lee Gu", LeeAad));
        Assert.Equal(ApprovalStatus.Approved, (await store.GetAsync(Activities.Tenant, moved.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task When_every_approver_is_away_with_no_one_covering_the_rep_is_told_so_not_that_it_went_to_them()
    {
        using var solo = NewHost(new() { ["Organization:Teams:0:Members:2:Role"] = "Rep" }, ownStore: true);
        Assert.Contains("No one covers", (await solo.ExchangeAsync(AsMegan("away until friday"))).Everything());

        var reply = (await solo.ExchangeAsync(AsAlex("credit $150 to ACME-1042 for late delivery"))).Everything();

        Assert.Contains("Megan is away with no one covering", reply);
        Assert.DoesNotContain("This needs Megan's approval", reply);
    }

    [Theory]
    [InlineData("away until someday, Lee covers", "couldn't read \"someday\"")]
    [InlineData("away until nov 22, Lee covers", "couldn't read")]
    [InlineData("away until Friday, Sam covers", "couldn't find an approver called \"sam\"")]
    [InlineData("away until Friday, Megan covers", "couldn't find an approver called \"megan\"")]
    public async Task An_away_that_cannot_be_read_changes_nothing_and_says_why(string text, string expected)
    {
        Assert.Contains(expected, await SayAsync(AsMegan(text)));
        Assert.Contains("You are not away", await SayAsync(AsMegan("away")));
    }

    [Fact]
    public async Task A_rep_saying_away_is_pointed_to_break()
    {
        Assert.Contains("Away is for approvers", await SayAsync(AsAlex("away until Friday")));
    }

    [Fact]
    public async Task Megan_approving_on_one_instance_while_going_away_on_another_either_decides_it_or_hands_it_to_Lee_never_both()
    {
        using var other = NewHost();
        foreach (var customer in new[] { "RACE-1", "RACE-2", "RACE-3", "RACE-4" })
        {
            await SayAsync(AsAlex($"credit $150 to {customer} for late delivery"));
            var request = Assert.Single(await Store.PendingForRequesterAsync(Activities.Tenant, "aad:" + Activities.AlexAad, CancellationToken.None), r => r.Customer == customer);
            Assert.Equal(2, request.Approvers.Count);

            await Task.WhenAll(
                ApprovalTestKit.ClickAsync(bot, connector, ApprovalAction.Approve, new { approvalId = request.Id }),
                other.ExchangeAsync(AsMegan("away until Friday, Lee covers")));

            var after = (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!;
            if (after.Status == ApprovalStatus.Approved)
            {
                Assert.Equal("aad:" + Activities.MeganAad, after.DecidedBy);
                Assert.DoesNotContain(await WaitingForAsync(LeeAad), r => r.Id == request.Id);
            }
            else
            {
                // The hand-over won: Megan's click looked again and decided nothing, and only Lee can decide it now.
                Assert.True(after.IsPending, after.Status.ToString());
                Assert.Equal(["aad:" + LeeAad], after.Approvers);
                Assert.Equal(request.Id, Assert.Single(await WaitingForAsync(LeeAad), r => r.Customer == customer).Id);
                Assert.DoesNotContain(await WaitingForAsync(Activities.MeganAad), r => r.Id == request.Id);
                using var response = await bot.PostAsync(Activities.Invoke(ApprovalAction.Approve, new { approvalId = request.Id }, connector.ServiceUrl, "user-id-2", "Lee Gu", LeeAad));
                Assert.Equal(ApprovalStatus.Approved, (await Store.GetAsync(Activities.Tenant, request.Id, CancellationToken.None))!.Status);
            }
            // Alex hears one outcome, whichever way it went, from either instance.
            await Eventually.UntilAsync(() => ApprovalTestKit.OutcomesToAlex(connector, customer).Count > 0, $"Alex to hear about {customer}");
            await bot.OutboxIdleAsync();
            await other.OutboxIdleAsync();
            Assert.Single(ApprovalTestKit.OutcomesToAlex(connector, customer));
            await SayAsync(AsMegan("back"));
        }
    }

    [Theory]
    [InlineData("friday", "2026-11-27")]
    [InlineData("fri", "2026-11-27")]
    [InlineData("sunday", "2026-11-29")]
    [InlineData("tomorrow", "2026-11-23")]
    [InlineData("dec 12", "2026-12-12")]
    [InlineData("12/12", "2026-12-12")]
    [InlineData("2026-12-01", "2026-12-01")]
    [InlineData("next monday", "2026-11-23")]
    public void The_day_named_is_read_as_the_first_such_day_after_today_starting_at_midnight_in_the_zone(string words, string day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var now = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero); // Sunday

        var back = AwayText.BackOn(words, now, zone);

        Assert.NotNull(back);
        Assert.Equal(day, TimeZoneInfo.ConvertTime(back!.Value, zone).ToString("yyyy-MM-dd"));
        Assert.Equal(TimeSpan.Zero, TimeZoneInfo.ConvertTime(back.Value, zone).TimeOfDay);
    }

    [Theory]
    [InlineData("today")]
    [InlineData("nov 22")]
    [InlineData("2027-06-01")]
    [InlineData("the moon")]
    public void A_day_that_is_not_after_today_or_too_far_is_not_read(string words)
    {
        var now = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);

        Assert.Null(AwayText.BackOn(words, now, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
    }

    [Theory]
    [InlineData("i'm out today", "2026-11-26")]
    [InlineData("off tomorrow", "2026-11-27")]
    [InlineData("out this week, lee covers", "2026-11-30")]
    [InlineData("i'm out next week, lee covers", "2026-12-07")]
    [InlineData("on holiday for the rest of the week", "2026-11-30")]
    [InlineData("away until friday", "2026-11-27")]
    public void Time_away_said_as_a_stretch_is_back_the_day_after_it(string text, string day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var now = new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero); // Wednesday

        Assert.True(AwayText.Recognizes(text));
        var back = AwayText.BackAfter(AwayText.Phrase().Match(text), now, zone);

        Assert.Equal(day, TimeZoneInfo.ConvertTime(back!.Value, zone).ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task Out_next_week_with_cover_is_away_until_the_monday_after_it()
    {
        var said = await SayAsync(AsMegan("I'm out next week, Lee covers"));

        Assert.Contains("You're away until Monday", said);
        Assert.Contains("Lee", said);
    }
}
