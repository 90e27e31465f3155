using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>A test class's bot with Slack on, pointed at a fake Slack of its own (started and stopped with each test).</summary>
public abstract class SlackBotTests : IAsyncLifetime
{
    protected FakeSlack slack = null!;
    protected BotHost bot = null!;

    /// <summary>Settings of the host over <see cref="SlackTestKit.Settings"/>.</summary>
    protected virtual Dictionary<string, string?> HostSettings() => [];

    public async Task InitializeAsync()
    {
        slack = await FakeSlack.StartAsync();
        bot = new BotHost(Settings(slack, HostSettings()));
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await slack.DisposeAsync();
    }
}
