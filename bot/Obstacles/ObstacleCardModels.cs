namespace EmpowerBot.Obstacles;

// View models of the cards/obstacle-*.json templates; cards/samples/obstacle-*.data.json hold the same fields.
// Every text a person typed reaches them through CardText.Inert, except form input values and card action data,
// which no client renders as markdown.

/// <summary>View model of cards/obstacle-form.json.</summary>
public sealed record ObstacleFormCard(
    string Intro, bool HasProblems, IReadOnlyList<ObstacleProblem> Problems, string Kind, IReadOnlyList<ObstacleChoice> Kinds,
    string Text, int MaxLength, string Category, IReadOnlyList<ObstacleChoice> Categories, string Anonymous, string AnonymousNote, string Op);

public sealed record ObstacleProblem(string Text);

public sealed record ObstacleChoice(string Title, string Value);

/// <summary>View model of cards/obstacle-similar.json: what the person wrote looks like something already open.</summary>
public sealed record ObstacleSimilarCard(
    string Intro, IReadOnlyList<SimilarObstacle> Matches, string DraftPreview, bool Anonymous, string AnonymousNote,
    string DraftText, string DraftKind, string DraftCategory, bool DraftAnonymous);

public sealed record SimilarObstacle(int Id, string Headline, string Details);

/// <summary>View model of cards/obstacle-list.json: the top open obstacles.</summary>
public sealed record ObstacleListCard(string Title, string Intro, bool HasItems, IReadOnlyList<ObstacleListItem> Items, string EmptyMessage, bool IsManager);

public sealed record ObstacleListItem(
    int Id, string Text, string Details, int Votes, bool HasNote, string Note, bool CanVote, IReadOnlyList<StatusButton> StatusActions);

/// <summary>A manager's status button: the obstacle it acts on, its title and the status word it sends.</summary>
public sealed record StatusButton(int Id, string Title, string Status);

/// <summary>View model of cards/obstacle-status.json: one obstacle, its status, note and history.</summary>
public sealed record ObstacleStatusCard(
    int Id, string Title, string Text, string Status, string Category, string Backers, string Raised,
    bool HasNote, string Note, bool HasNotice, string Notice, bool HasHistory, IReadOnlyList<ObstacleHistoryLine> History,
    bool CanVote, bool IsManager, IReadOnlyList<StatusButton> StatusActions,
    bool CanEditCategory, string CategoryValue, IReadOnlyList<ObstacleChoice> Categories);

public sealed record ObstacleHistoryLine(string When, string What);
