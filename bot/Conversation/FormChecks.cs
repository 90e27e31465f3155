using System.Text.Json;

namespace EmpowerBot.Conversation;

/// <summary>
/// A form whose inputs a feature can check the moment it is submitted, before anything is done with it, so a channel
/// that can (a Slack modal) keeps the form open with each message under its input.
/// </summary>
public interface IFormCheck
{
    /// <summary>The form's submit command (the "command" of its data).</summary>
    string Command { get; }

    /// <summary>What is wrong, by input id; empty when the submission can go on.</summary>
    IReadOnlyDictionary<string, string> Check(Person person, JsonElement data);
}

/// <summary>Finds the check of a submitted form and runs it for the person, by the roster alone (no I/O).</summary>
public sealed class FormChecks(IEnumerable<IFormCheck> checks, Roster roster)
{
    private readonly Dictionary<string, IFormCheck> checks = checks.ToDictionary(c => c.Command, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string> Check(string tenantId, string personKey, JsonElement data) =>
        SubmittedCommand.From(data) is { } command && checks.TryGetValue(command, out var check)
            ? check.Check(roster.Resolve(tenantId, personKey, null), data)
            : new Dictionary<string, string>();
}
