// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Owned} from "./Owned.sol";
import {IDcapAttestation} from "./interfaces/IDcapAttestation.sol";
import {ISP1TEEProverRegistry, ReportData} from "./interfaces/ISP1TEEProverRegistry.sol";

/// @title SP1TEEProverRegistry
/// @notice Registers ephemeral prover keys attested by Intel TDX DCAP quotes.
/// Same interface and checks as the reference registry
/// (automata-network/sp1-tee-prover), with its known weaknesses fixed:
///  - REPORTDATA is read from the quote itself (TDX v4 / v5 body), after the
///    verifier accepted the quote, not from a version-dependent offset in
///    the verifier's output;
///  - the replay key is keccak256 over the quote's signed bytes only
///    (header + [v5 descriptor] + body + 4 + signature length), so bytes
///    appended to a used quote do not make it new;
///  - a verifier answer of `false` reverts with the verifier's reason;
///  - an owner-managed measurement policy: allowed MRTD and RTMR0-3 values
///    (an empty set for a register allows any value, announced by an event)
///    and debug TDs rejected unless explicitly allowed.
contract SP1TEEProverRegistry is Owned, ISP1TEEProverRegistry {
    uint256 internal constant HEADER_LEN = 48;
    uint256 internal constant TD10_BODY_LEN = 584;
    uint256 internal constant TD15_BODY_LEN = 648;
    uint32 internal constant TEE_TYPE_TDX = 0x81;
    /// @dev Offsets inside a TD report body.
    uint256 internal constant BODY_TD_ATTRIBUTES = 120;
    uint256 internal constant BODY_MRTD = 136;
    uint256 internal constant BODY_RTMR0 = 328;
    uint256 internal constant BODY_REPORT_DATA = 520;
    uint8 public constant MR_MRTD = 0;
    uint8 public constant MR_RTMR0 = 1; // RTMRn = MR_RTMR0 + n

    mapping(bytes32 => bool) public attestedReports;
    mapping(address => uint256) public attestedProvers; // prover => registration time

    uint256 public attestValiditySeconds = 3600;
    uint256 public maxBlockNumberDiff = 100;
    IDcapAttestation public dcapAttestationVerifier;
    bool public allowDebugTd;

    /// @notice allowedMeasurement[reg][keccak256(48-byte value)].
    mapping(uint8 => mapping(bytes32 => bool)) public allowedMeasurement;
    /// @notice Number of allowed values per register; 0 means "any".
    mapping(uint8 => uint256) public allowedMeasurementCount;

    event ProverRegistered(
        address indexed prover, bytes32 indexed reportHash, uint256 referenceBlockNumber, uint256 registeredAt
    );
    event VerifierSet(address verifier);
    event AttestValiditySecondsSet(uint256 value);
    event MaxBlockNumberDiffSet(uint256 value);
    event AllowDebugTdSet(bool allowed);
    event MeasurementAllowed(uint8 indexed reg, bytes value);
    event MeasurementRevoked(uint8 indexed reg, bytes value);
    /// @notice Emitted when a register's allow-list becomes empty: any value
    /// of that register is accepted from now on.
    event MeasurementPolicyOpen(uint8 indexed reg);

    constructor(address verifier) {
        dcapAttestationVerifier = IDcapAttestation(verifier);
        emit VerifierSet(verifier);
        for (uint8 r = 0; r <= 4; r++) {
            emit MeasurementPolicyOpen(r);
        }
    }

    // ---- owner setters ---------------------------------------------------

    function setAttestationImpl(address verifier) external onlyOwner {
        dcapAttestationVerifier = IDcapAttestation(verifier);
        emit VerifierSet(verifier);
    }

    function setAttestValiditySeconds(uint256 value) external onlyOwner {
        attestValiditySeconds = value;
        emit AttestValiditySecondsSet(value);
    }

    function setMaxBlockNumberDiff(uint256 value) external onlyOwner {
        require(value > 0 && value <= 256, "maxBlockNumberDiff out of range");
        maxBlockNumberDiff = value;
        emit MaxBlockNumberDiffSet(value);
    }

    function setAllowDebugTd(bool allowed) external onlyOwner {
        allowDebugTd = allowed;
        emit AllowDebugTdSet(allowed);
    }

    /// @param reg MR_MRTD (0) or MR_RTMR0 + n for RTMRn (1..4).
    /// @param value the 48-byte measurement.
    function allowMeasurement(uint8 reg, bytes calldata value) external onlyOwner {
        require(reg <= 4, "bad measurement register");
        require(value.length == 48, "measurement must be 48 bytes");
        bytes32 k = keccak256(value);
        if (!allowedMeasurement[reg][k]) {
            allowedMeasurement[reg][k] = true;
            allowedMeasurementCount[reg] += 1;
        }
        emit MeasurementAllowed(reg, value);
    }

    function revokeMeasurement(uint8 reg, bytes calldata value) external onlyOwner {
        require(reg <= 4, "bad measurement register");
        require(value.length == 48, "measurement must be 48 bytes");
        bytes32 k = keccak256(value);
        if (allowedMeasurement[reg][k]) {
            allowedMeasurement[reg][k] = false;
            allowedMeasurementCount[reg] -= 1;
            emit MeasurementRevoked(reg, value);
            if (allowedMeasurementCount[reg] == 0) {
                emit MeasurementPolicyOpen(reg);
            }
        }
    }

    // ---- registration ----------------------------------------------------

    function register(ReportData calldata data, bytes calldata quote) external {
        checkBlockNumber(data.referenceBlockNumber, data.referenceBlockHash);

        (uint256 bodyOffset, uint256 signedLen) = quoteLayout(quote);
        bytes32 reportHash = keccak256(quote[:signedLen]);
        require(!attestedReports[reportHash], "report is already used");
        // Effects before the external call (any revert below undoes it).
        attestedReports[reportHash] = true;

        (bool ok, bytes memory output) = dcapAttestationVerifier.verifyAndAttestOnChain(quote);
        if (!ok) {
            revert(string(abi.encodePacked("quote rejected by verifier: ", output)));
        }

        // REPORTDATA from the verified quote itself.
        uint256 rd = bodyOffset + BODY_REPORT_DATA;
        bytes32 first = bytes32(quote[rd:rd + 32]);
        bytes32 second = bytes32(quote[rd + 32:rd + 64]);
        require(keccak256(abi.encode(data)) == second, "report data hash mismatch");
        require(first == bytes32(uint256(uint160(data.proverAddress))), "prover address mismatch");

        checkMeasurements(quote, bodyOffset);

        attestedProvers[data.proverAddress] = block.timestamp;
        emit ProverRegistered(data.proverAddress, reportHash, data.referenceBlockNumber, block.timestamp);
    }

    function verifyAttestedProver(address prover) external view returns (bool) {
        uint256 t = attestedProvers[prover];
        return t != 0 && t + attestValiditySeconds > block.timestamp;
    }

    /// @notice The replay key of a quote: keccak256 of its signed bytes.
    function quoteReplayKey(bytes calldata quote) external pure returns (bytes32) {
        (, uint256 signedLen) = quoteLayout(quote);
        return keccak256(quote[:signedLen]);
    }

    // ---- internals -------------------------------------------------------

    function checkBlockNumber(uint256 blockNumber, bytes32 blockHash) internal view {
        require(blockNumber < block.number, "invalid block number");
        require(block.number - blockNumber < maxBlockNumberDiff, "block number out-of-date");
        require(blockhash(blockNumber) == blockHash, "block number mismatch");
    }

    function le16(bytes calldata b, uint256 off) internal pure returns (uint256) {
        return uint256(uint8(b[off])) | (uint256(uint8(b[off + 1])) << 8);
    }

    function le32(bytes calldata b, uint256 off) internal pure returns (uint256) {
        return le16(b, off) | (le16(b, off + 2) << 16);
    }

    /// @dev Body offset and signed length of a TDX v4 or v5 quote; reverts
    /// for anything else. Trailing bytes after the signed part are allowed.
    function quoteLayout(bytes calldata quote) internal pure returns (uint256 bodyOffset, uint256 signedLen) {
        require(quote.length >= HEADER_LEN + 6, "quote truncated");
        uint256 version = le16(quote, 0);
        require(le32(quote, 4) == TEE_TYPE_TDX, "unsupported quote: not TDX");
        uint256 bodyLen;
        if (version == 4) {
            bodyOffset = HEADER_LEN;
            bodyLen = TD10_BODY_LEN;
        } else if (version == 5) {
            uint256 bodyType = le16(quote, HEADER_LEN);
            bodyLen = le32(quote, HEADER_LEN + 2);
            require(
                (bodyType == 2 && bodyLen == TD10_BODY_LEN) || (bodyType == 3 && bodyLen == TD15_BODY_LEN),
                "unsupported quote: body type"
            );
            bodyOffset = HEADER_LEN + 6;
        } else {
            revert("unsupported quote: version");
        }
        uint256 sigLenOffset = bodyOffset + bodyLen;
        require(quote.length >= sigLenOffset + 4, "quote truncated");
        signedLen = sigLenOffset + 4 + le32(quote, sigLenOffset);
        require(signedLen <= quote.length, "quote truncated");
    }

    function checkMeasurements(bytes calldata quote, uint256 bodyOffset) internal view {
        uint256 attr = uint8(quote[bodyOffset + BODY_TD_ATTRIBUTES]);
        require(allowDebugTd || (attr & 1) == 0, "debug TD not allowed");
        if (allowedMeasurementCount[MR_MRTD] != 0) {
            uint256 o = bodyOffset + BODY_MRTD;
            require(allowedMeasurement[MR_MRTD][keccak256(quote[o:o + 48])], "measurement not allowed: MRTD");
        }
        for (uint8 i = 0; i < 4; i++) {
            uint8 r = MR_RTMR0 + i;
            if (allowedMeasurementCount[r] != 0) {
                uint256 o = bodyOffset + BODY_RTMR0 + 48 * uint256(i);
                require(
                    allowedMeasurement[r][keccak256(quote[o:o + 48])],
                    string(abi.encodePacked("measurement not allowed: RTMR", bytes1(uint8(48) + i)))
                );
            }
        }
    }
}
