using System.Net;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>
/// "/empower link-team Frontline Demo" in a Slack channel makes its members the team's reps; joining and leaving the
/// channel keeps the team current.
/// </summary>
public sealed class SlackRosterTests : IAsyncLifetime
{
    private const string Channel = "C0FRONT";
    private const string Sam = "U0SAM";
    private const string Jo = "U0JO";
    private const string Kim = "U0KIM";
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private FakeSlack slack = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        slack = await FakeSlack.StartAsync();
        bot = new BotHost(Settings(slack, new() { ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db"), ["Organization:UnlistedPeople"] = "Guest" }));
        slack.Users[Sam] = ("Sam Rivera", "sam@contoso.example");
        slack.Users[Jo] = ("Jo Bloggs", "jo@contoso.example");
        slack.Users[Kim] = ("Kim Lee", "kim@contoso.example");
        slack.Users["U0HELPDESK"] = ("Helpdesk Bot", null);
        slack.Bots["U0HELPDESK"] = true;
        slack.ChannelMembers[Channel] = [Megan, Sam, Jo, "U0HELPDESK", FakeSlack.BotUserId];
        _ = bot.Services;
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await slack.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }

    private Roster Roster => bot.Services.GetRequiredService<Roster>();

    private Person Resolve(string user) => Roster.Resolve(SlackTestKit.Team, Key(user), null);

    /// <summary>The slash command in the channel; its answer reaches the person alone (a response_url, or their DM).</summary>
    private async Task<string> LinkAsync(string user)
    {
        var before = slack.Calls.Count;
        using (var response = await CommandAsync(bot, user, "link-team Frontline Demo", channel: Channel, channelName: "frontline"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SlackCall? answer = null;
        await Eventually.UntilAsync(() => (answer = slack.Calls.Skip(before)
            .FirstOrDefault(c => c.Method is FakeSlack.ResponseUrl or "chat.postMessage" or "chat.postEphemeral")) is not null, "the answer to link-team");
        Assert.NotEqual(Channel, answer!.Str("channel")); // never posted for the whole channel to read
        return answer.Everything;
    }

    private async Task MemberEventAsync(string type, string user)
    {
        using var response = await EventAsync(bot, Event(new { type, user, channel = Channel, channel_type = "C", team = SlackTestKit.Team, event_ts = "1795000000.000300" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_manager_links_the_channel_and_its_people_on_every_page_join_as_reps_bots_and_the_manager_keep_their_place()
    {
        var answer = await LinkAsync(Megan);

        Assert.Contains("This channel is now Frontline Demo's roster", answer);
        Assert.Equal(2, slack.CallsTo("conversations.members").Count(c => c.Str("channel") == Channel) - 1); // five members, two a page: three pages
        Assert.Equal("demo", Resolve(Sam).Team?.Id);
        Assert.Equal("Sam Rivera", Resolve(Sam).Name);
        Assert.Equal(Role.Rep, Resolve(Jo).Role);
        Assert.True(Resolve(Megan).IsManager);
        Assert.Null(Resolve("U0HELPDESK").Team);
    }

    [Fact]
    public async Task Joining_the_linked_channel_joins_the_team_and_leaving_it_takes_the_budget_away_at_once()
    {
        await LinkAsync(Megan);

        await MemberEventAsync("member_joined_channel", Kim);
        await Eventually.UntilAsync(() => Resolve(Kim).Team?.Id == "demo", "Kim to join the team");
        await MemberEventAsync("member_left_channel", Sam);
        await Eventually.UntilAsync(() => Resolve(Sam).Team is null, "Sam to leave the team");

        Assert.Equal("Kim Lee", Resolve(Kim).Name);
        Assert.False(Resolve(Sam).HasBudget);
    }

    [Fact]
    public async Task A_rep_cannot_link_a_channel_and_events_of_a_channel_no_team_is_linked_to_change_nothing()
    {
        var version = Roster.Version;

        Assert.Contains("Only Frontline Demo's managers or an EmpowerBot admin can link a channel", await LinkAsync(Alex));
        await MemberEventAsync("member_joined_channel", Kim);
        await bot.SettledAsync(slack);

        Assert.Equal(version, Roster.Version);
        Assert.Null(Resolve(Kim).Team);
    }
}
