using System.Net;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>The Web API client against the fake Slack: token, bodies, errors and rate limits.</summary>
public sealed class SlackApiClientTests : SlackBotTests
{
    private SlackApiClient Api => bot.Services.GetRequiredService<SlackApiClient>();

    [Fact]
    public async Task Calls_carry_the_bot_token_and_json_bodies_and_return_slack_s_ids()
    {
        var posted = await Api.PostMessageAsync("D0ALEX", new SlackMessage("hello"), CancellationToken.None);
        var channel = await Api.OpenConversationAsync(Megan, CancellationToken.None);
        var user = await Api.GetUserAsync(Alex, CancellationToken.None);

        Assert.Equal("D0ALEX", posted.Channel);
        Assert.Matches(@"^\d+\.\d{6}$", posted.Ts);
        Assert.Equal("DU0MEGAN", channel);
        Assert.Equal(new SlackUser(Alex, "Alex Wilber", "alexw@contoso.example"), user);
        Assert.All(slack.Calls, c => Assert.Equal("Bearer " + BotToken, c.Authorization));
        Assert.StartsWith("application/json", slack.CallsTo("chat.postMessage")[0].ContentType);
        Assert.StartsWith("application/x-www-form-urlencoded", slack.CallsTo("users.info")[0].ContentType);
    }

    [Fact]
    public async Task An_ok_false_answer_is_a_clear_error_and_is_not_retried()
    {
        slack.RefuseNext("channel_not_found");
        var attempts = slack.Attempts;

        var error = await Assert.ThrowsAsync<SlackApiException>(() => Api.UpdateMessageAsync("C0GONE", "1.2", new SlackMessage("x"), CancellationToken.None));

        Assert.Equal("channel_not_found", error.Error);
        Assert.Equal("chat.update", error.Method);
        Assert.Equal("Slack chat.update failed: channel_not_found", error.Message);
        Assert.DoesNotContain(BotToken, error.ToString());
        Assert.Equal(1, slack.Attempts - attempts);
    }

    [Fact]
    public async Task Rate_limits_are_retried_and_a_limit_that_outlasts_the_retries_is_reported_as_ratelimited()
    {
        slack.FailNext(2, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(0));
        await Api.PostMessageAsync("D0ALEX", new SlackMessage("after two 429s"), CancellationToken.None);
        Assert.Single(slack.CallsTo("chat.postMessage"));

        slack.FailNext(20, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(0));
        var error = await Assert.ThrowsAsync<SlackApiException>(() => Api.PostMessageAsync("D0ALEX", new SlackMessage("x"), CancellationToken.None));
        Assert.True(error.IsRateLimited);
    }
}
