using System.Net;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>Where in Slack a rep asks from: a mention in a channel, a slash command there or anywhere; answered for them alone.</summary>
public sealed class SlackChannelCommandTests : SlackBotTests
{
    [Fact]
    public async Task A_mention_in_a_channel_is_answered_privately_with_a_pointer_in_the_channel()
    {
        using (await EventAsync(bot, Event(new { type = "app_mention", channel = "C0GENERAL", user = Alex, text = $"<@{FakeSlack.BotUserId}> budget", ts = "1.1" }))) { }

        var reply = await slack.WaitForAsync("chat.postMessage");
        var pointer = await slack.WaitForAsync("chat.postEphemeral");

        Assert.Equal(Dm(Alex), reply.Str("channel"));
        Assert.Contains("Your budget", reply.Everything);
        Assert.Equal(("C0GENERAL", Alex), (pointer.Str("channel"), pointer.Str("user")));
        Assert.Contains("direct messages", pointer.Str("text"));
        Assert.Contains(slack.Calls, c => c.Method == "conversations.open" && c.Str("users") == Alex);
    }

    [Fact]
    public async Task A_slash_command_in_a_channel_is_answered_there_for_the_person_alone()
    {
        using var response = await CommandAsync(bot, Alex, "history", channel: "C0GENERAL", channelName: "general", responseUrl: slack.HooksUrl);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var reply = await slack.WaitForAsync(FakeSlack.ResponseUrl);
        Assert.Equal("ephemeral", reply.Str("response_type"));
        Assert.Contains("Your credits in November 2026", reply.Everything);
        Assert.True(string.IsNullOrEmpty(reply.Authorization)); // no bot token to a hook
        await bot.SettledAsync(slack);
        Assert.Empty(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_slash_command_whose_response_url_is_not_slack_s_is_answered_in_the_direct_conversation()
    {
        using (await CommandAsync(bot, Alex, "history", channel: "C0GENERAL", channelName: "general", responseUrl: "https://evil.example/hook")) { }

        var reply = await slack.WaitForAsync("chat.postMessage");
        Assert.Equal(Dm(Alex), reply.Str("channel"));
        Assert.Contains("Your credits in November 2026", reply.Everything);
    }

    [Fact]
    public async Task A_bare_slash_command_answers_with_help()
    {
        using var response = await CommandAsync(bot, Alex, "");

        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Contains("EmpowerBot help", (await slack.WaitForAsync("chat.postMessage")).Everything);
    }
}
