namespace EmpowerBot.Conversation;

/// <summary>
/// What a command is, for help texts and the Teams/Slack app manifests' command lists.
/// <paramref name="Name"/> is the word people type; <paramref name="Usage"/> an example.
/// <paramref name="InMenu"/>: listed in the Teams app's command menu (at most 10 commands fit there).
/// </summary>
public sealed record CommandInfo(string Name, string Usage, string Description, string Section, bool ManagersOnly = false, bool InMenu = true);

/// <summary>The turn a command handles: the channel-neutral turn and the person resolved from the roster.</summary>
public sealed record TurnContext(Turn Turn, Person Person);

/// <summary>A chat command. Each feature registers its own; the router asks them in registration order.</summary>
public interface ICommand
{
    CommandInfo Info { get; }

    /// <summary>True when the normalised text (lower case, no mention, single spaces) is this command.</summary>
    bool Recognizes(string text);

    Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct);
}

/// <summary>A card's Action.Execute verb and what answers it.</summary>
public interface ICardActionHandler
{
    string Verb { get; }

    Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct);
}
