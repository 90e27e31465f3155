using EmpowerBot.Approvals;

namespace EmpowerBot.Conversation;

/// <summary>The greeting when the app is installed or the bot is added to a conversation.</summary>
public sealed class Welcome(WaitingDecisions waiting)
{
    public async Task<Reply> ForAsync(Person person, CancellationToken ct)
    {
        var first = person.Name.Split(' ', 2)[0];
        var examples = new List<WelcomeExample>
        {
            new(person.HasBudget ? "budget" : "approvals", person.HasBudget ? "See what you have left this month" : "The credit exceptions waiting for your decision"),
            new("help", "Everything I can do"),
        };
        var (line, button) = await waiting.ForAsync(person, ct);
        var card = new WelcomeCard(
            first,
            person.Team?.Name ?? "",
            BudgetLine(person),
            person.HasBudget,
            person.IsManager,
            examples,
            "You also answer the rare approval requests from your team, in one click.",
            line,
            button);
        var summary = person.Team is null
            ? $"Welcome, {first}! Type help to see what I can do."
            : $"Welcome, {first}! {BudgetLine(person)}";
        return Reply.Show("welcome", card, line.Length > 0 ? $"{summary} {line}" : summary);
    }

    /// <summary>What the person's budget is, in one sentence: their own, or for a manager without one, their reps'.</summary>
    public static string BudgetLine(Person person) => person switch
    {
        { Team: null } => "",
        { HasBudget: true } => $"You have {person.MonthlyBudget} a month to solve customer problems on the spot, without asking anyone. Only true exceptions go to a manager.",
        { IsManager: true } => $"Your reps each have {person.Team.MonthlyBudget} a month to solve customer problems on the spot, without asking anyone; only true exceptions reach you. You have no budget of your own, so a credit you give is asked of another approver.",
        _ => "You have no budget of your own this month, so every credit you give is asked of a manager.",
    };
}

public sealed record WelcomeCard(
    string FirstName, string TeamName, string BudgetLine, bool HasBudget, bool IsManager, IReadOnlyList<WelcomeExample> Examples,
    string ManagerNote, string Waiting, string ReviewTitle);

public sealed record WelcomeExample(string Say, string Does);
