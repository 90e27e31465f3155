using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>The Slack app manifest asks for what the bot uses and points Slack at the bot's endpoints.</summary>
public sealed class SlackManifestTests
{
    private static readonly string[] Manifest = File.ReadAllLines(Path.Combine(RepoPaths.Root, "infra", "slack", "manifest.yaml"))
        .Select(l => l.Trim()).ToArray();

    [Theory]
    [InlineData("- chat:write")]
    [InlineData("- im:history")]
    [InlineData("- im:read")]
    [InlineData("- im:write")]
    [InlineData("- commands")]
    [InlineData("- users:read")]
    [InlineData("- users:read.email")]
    [InlineData("- app_mentions:read")]
    [InlineData("- message.im")]
    [InlineData("- app_mention")]
    [InlineData("- app_home_opened")]
    [InlineData("- command: /empower")]
    [InlineData("url: https://YOUR-HOST/api/slack/commands")]
    [InlineData("request_url: https://YOUR-HOST/api/slack/events")]
    [InlineData("- channels:read")] // conversations.members of a linked channel
    [InlineData("- files:write")] // an export's files
    [InlineData("- member_joined_channel")]
    [InlineData("- member_left_channel")]
    [InlineData("request_url: https://YOUR-HOST/api/slack/interactions")]
    [InlineData("home_tab_enabled: true")]
    [InlineData("messages_tab_enabled: true")]
    [InlineData("is_enabled: true")]
    public void The_manifest_declares(string line) => Assert.Contains(line, Manifest);
}
