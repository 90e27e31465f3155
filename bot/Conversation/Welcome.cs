namespace EmpowerBot.Conversation;

/// <summary>The greeting when the app is installed or the bot is added to a conversation.</summary>
public sealed class Welcome
{
    public Reply For(Person person)
    {
        var first = person.Name.Split(' ', 2)[0];
        var budget = person.Team?.MonthlyBudget.ToString() ?? "";
        var examples = new List<WelcomeExample>
        {
            new("budget", "See what you have left this month"),
            new("help", "Everything I can do"),
        };
        var card = new WelcomeCard(
            first,
            person.Team?.Name ?? "",
            budget,
            person.IsManager,
            examples,
            "You also answer the rare approval requests from your team, in one click.");
        var summary = person.Team is null
            ? $"Welcome, {first}! Type help to see what I can do."
            : $"Welcome, {first}! You have {budget} a month to solve customer problems without asking anyone.";
        return Reply.Show("welcome", card, summary);
    }
}

public sealed record WelcomeCard(string FirstName, string TeamName, string Budget, bool IsManager, IReadOnlyList<WelcomeExample> Examples, string ManagerNote);

public sealed record WelcomeExample(string Say, string Does);
