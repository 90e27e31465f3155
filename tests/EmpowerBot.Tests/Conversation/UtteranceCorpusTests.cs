using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Insights;
using EmpowerBot.Obstacles;
using EmpowerBot.Policy;
using EmpowerBot.QuietTime;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Conversation;

/// <summary>Messages as reps write them (utterances.txt), each with the command it must reach — or none, for what is not a command.</summary>
public sealed class UtteranceCorpusTests : IDisposable
{
    private static readonly Dictionary<string, Type?> Intents = new()
    {
        ["credit"] = typeof(CreditCommand), ["budget"] = typeof(BudgetCommand), ["history"] = typeof(HistoryCommand),
        ["status"] = typeof(StatusCommand), ["undo"] = typeof(UndoCommand), ["help"] = typeof(HelpCommand),
        ["break"] = typeof(BreakCommand), ["back"] = typeof(BackCommand), ["obstacle"] = typeof(ObstacleCommand),
        ["idea"] = typeof(ObstacleCommand), ["kudos"] = typeof(KudosCommand), ["obstacles"] = typeof(ObstaclesCommand),
        ["smalltalk"] = typeof(SmallTalkCommand), ["ask"] = typeof(AskCommand), ["limits"] = typeof(LimitsCommand), ["away"] = typeof(AwayCommand),
        ["membership"] = typeof(MembershipCommand),
        ["export"] = typeof(EmpowerBot.Insights.ExportCommand), ["none"] = null,
    };

    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private Recognizer Recognizer => bot.Services.GetRequiredService<Recognizer>();

    public static IEnumerable<(string Intent, string Text)> Corpus() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Conversation", "utterances.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('|', 2))
            .Select(p => (p[0].Trim(), p[1].Trim()));

    [Fact]
    public void The_corpus_covers_every_intent_with_at_least_fifteen_messages()
    {
        var counts = Corpus().GroupBy(u => u.Intent).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(Intents.Keys.Where(k => k is not ("obstacle" or "idea")), k => Assert.True(counts.GetValueOrDefault(k) >= 15, k));
    }

    [Fact]
    public void Every_message_reaches_the_command_it_means()
    {
        var wrong = Corpus()
            .Select(u => (u.Intent, u.Text, Got: Recognizer.Understand(u.Text).Command?.GetType()))
            .Where(u => u.Got != Intents[u.Intent])
            .Select(u => $"{u.Intent} ← '{u.Text}' went to {u.Got?.Name ?? "nobody"}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void No_two_commands_claim_the_same_message()
    {
        var shared = Corpus()
            .Select(u => (u.Text, Claims: Recognizer.Commands.Where(c => c.Recognizes(Recognizer.Understand(u.Text).Normalized)).Select(c => c.GetType().Name).ToList()))
            .Where(u => u.Claims.Count > 1)
            .Select(u => $"'{u.Text}': {string.Join(", ", u.Claims)}")
            .ToList();
        Assert.True(shared.Count == 0, string.Join("\n", shared));
    }

    [Fact]
    public void The_routing_table_puts_every_registered_command_in_its_place()
    {
        Assert.All(Recognizer.Commands, c => Assert.Contains(c.GetType(), Recognizer.Routing));
    }
}
