using System.Text.Json.Nodes;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Conversation;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpowerBot.Tests.Channels.Slack;

public sealed class BlockKitRendererTests
{
    private static readonly SlackTemplates Templates = new(Path.Combine(RepoPaths.Root, "cards", "slack"));

    private static BlockKitRenderer Renderer(SlackTemplates? templates = null, ILogger<BlockKitRenderer>? log = null) =>
        new(templates ?? Templates, new SlackButtonValues(TimeProvider.System), log ?? NullLogger<BlockKitRenderer>.Instance);

    private static object Refused(string customer) => new
    {
        Title = "This credit can't be applied", Amount = "$600.00", Customer = customer, Reason = "Late delivery",
        Sentence = "Credits above $500.00 are never allowed.", WhatToDo = "Escalate", Rule = "Hard maximum (non-negotiable)",
    };

    [Fact]
    public void Text_a_person_typed_cannot_become_a_mention_or_a_link()
    {
        var message = Renderer().Message(Reply.Show("credit-refused", Refused("<!channel> & <https://evil.example|click>"), "summary <!here>"));

        var texts = BlockKitTemplateTests.Texts(new JsonObject { ["blocks"] = message.Blocks!.DeepClone() });
        Assert.Contains(texts, t => t.Contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"));
        Assert.DoesNotContain(texts, t => t.Contains("<!channel>") || t.Contains("<https://"));
        Assert.Equal("summary &lt;!here&gt;", message.Text);
    }

    [Fact]
    public void Feature_text_becomes_mrkdwn()
    {
        var message = Renderer().Message(Reply.Say("Tell me which credit: for example **undo C-7F3K**.\n\n- one\n- two & <three>"));

        Assert.Null(message.Blocks);
        Assert.Equal("Tell me which credit: for example *undo C-7F3K*.\n\n• one\n• two &amp; &lt;three&gt;", message.Text);
    }

    [Fact]
    public void A_card_without_a_slack_template_falls_back_to_its_summary_with_a_warning()
    {
        var folder = Directory.CreateTempSubdirectory("slack-cards-");
        try
        {
            var log = new ListLogger();
            var message = Renderer(new SlackTemplates(folder.FullName), log).Message(Reply.Show("obstacle-board", new { Top = 3 }, "3 obstacles **open**"));

            Assert.Null(message.Blocks);
            Assert.Equal("3 obstacles *open*", message.Text);
            Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("cards/slack/obstacle-board.json"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_reply_with_text_and_a_card_shows_the_text_above_the_card()
    {
        var message = Renderer().Message(new Reply("Here you go:", new CardReply("credit-refused", Refused("ACME-1"), "Refused")));

        Assert.Equal("Here you go:", (string?)message.Blocks![0]!["text"]!["text"]);
        Assert.Equal("Refused", message.Text);
    }

    [Fact]
    public void The_app_home_fits_slack_s_hundred_blocks_and_keeps_block_ids_of_each_reply_apart()
    {
        var approval = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "cards", "samples", "approval-request.data.json")))!;
        var replies = Enumerable.Range(0, 12).Select(_ => new Reply(null, new CardReply("approval-request", approval, "An approval"))).ToList();

        var home = Renderer().Home(new HomeCard("Megan"), replies);

        BlockKitTemplateTests.AssertWellFormed(home, SlackSurface.Home);
        Assert.Contains(BlockKitTemplateTests.Texts(home), t => t.Contains("There is more than fits here"));
        Assert.Equal("r0:", BlockKitCards.SectionOf((string?)home["blocks"]!.AsArray().Skip(2).OfType<JsonObject>().First(b => b["block_id"] is not null)["block_id"]));
    }

    private sealed class ListLogger : ILogger<BlockKitRenderer>
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
